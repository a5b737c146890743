"""Bulk image jobs: a JSONL file validated line by line, run on the Batch API or online, paced.

    from wrapper.batch import Job

    job = Job.create("prompts.jsonl", "out")   # every line checked first; JobInvalid lists the bad ones
    job.run(client)                            # Batch API: upload, create, poll, save (half price, <= 24 h)
    job.run_online(client)                     # or now, paced by the rate-limit headers

Images are saved as `out/<custom_id>[-<i>].<ext>`, and `out/manifest.jsonl` gets one line per request
(custom_id, status, files, usage, error, retryable). The output directory is the job's handle:
`Job.open(out)` resumes it from any process (one at a time: the directory is locked while a process
runs it), nothing is submitted twice, and lines that failed for a retryable reason are sent again.
"""

from ._job import FetchReport, Job, JobInvalid, JobStatus, validate_job
from ._lines import JobLine, LineError, checked_lines, read_lines
from ._online import OnlineProgressInfo, run_online
from ._pacer import Pacer
from ._prepare import ValidationReport
from ._remote import BatchInfo
from ._store import JobBusy, JobConflict, JobStopped

__all__ = [
    "BatchInfo",
    "FetchReport",
    "Job",
    "JobBusy",
    "JobConflict",
    "JobInvalid",
    "JobLine",
    "JobStatus",
    "JobStopped",
    "LineError",
    "OnlineProgressInfo",
    "Pacer",
    "ValidationReport",
    "checked_lines",
    "read_lines",
    "run_online",
    "validate_job",
]
