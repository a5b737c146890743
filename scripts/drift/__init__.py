"""The pieces of `scripts/api_drift.py`: one shape for what an API surface states (`_facts`), read
from an OpenAPI description (`_openapi`, ours or the official one) or from the official `openai`
package (`_sdk`), and the comparison with its verdicts against the deviations on record (`_compare`).
"""
