"""`make demo`: the `images` command against the built-in emulator, offline, then a contact sheet.

Runs generations on current models (an xhigh quality, a free size, an animated GIF, an SVG document),
an edit with a mask and one guided by a markup overlay, a streamed generation and one request for a
retired model, refused before sending; writes every image under out/ (or the directory given) plus
contact-sheet.png with all results captioned, and prints a summary.

python scripts/demo.py [OUT_DIR]
"""

from __future__ import annotations

import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import imagesize  # type: ignore[import-untyped]
from PIL import Image, ImageDraw, ImageFont

from wrapper._cli import main as images
from wrapper.prepare import mask_from_box

THUMB, FONT, COLUMNS = 300, 17, 4
CAPTION = 4 * (FONT + 5) + 10


@dataclass(frozen=True)
class Step:
    """One `images` command of the demo (`{out}` is the output directory); results are out/<name>*."""

    name: str
    caption: str
    command: str
    exit_code: int = 0

    def argv(self, out: Path) -> list[str]:
        """The whole command line after `images`, as run and as printed."""
        command = shlex.split(self.command.format(out=shlex.quote(str(out))))
        return [*command, "--mock", "-o", str(out), "--name", self.name]


SCENE = "'a lighthouse on a cliff at dusk'"
SVG = """'{{"model": "svg-author-1", "reasoning": {{"effort": "low"}}}}'"""  # braces doubled for format()
STEPS = [
    Step("01-gpt-image-2.5-flare", "gpt-image-2.5-flare, quality xhigh",
         f"generate {SCENE} --model gpt-image-2.5-flare --size 1536x1024 --quality xhigh"),
    Step("02-gpt-image-2", "gpt-image-2, free size, webp",
         f"generate {SCENE} --model gpt-image-2 --size 2048x1152 --format webp"),
    Step("03-gpt-image-2.6-sunburst", "gpt-image-2.6-sunburst,\ncomplexity high",
         f"generate {SCENE} --model gpt-image-2.6-sunburst --complexity high --quality medium"),
    Step("04-gif", "animated GIF: 6 frames of 150 ms",
         "generate 'a lighthouse beam sweeping' --model gpt-image-2.5-sunburst --format gif"
         " --frame-count 6 --frame-duration-ms 150 --size 512x512"),
    Step("05-svg", "SVG document (svg_usage reported)",
         f"generate 'a lighthouse, flat icon' --model gpt-image-2.5-flare --format svg --svg {SVG}"),
    Step("06-mini-transparent", "gpt-image-1-mini, transparent",
         "generate 'a lighthouse sticker' --model gpt-image-1-mini --background transparent --quality low"),
    Step("07-edit", "edit of 01 inside the mask's box,\nat 1536x1024 like its input",
         "edit {out}/01-gpt-image-2.5-flare.png --prompt 'add a hot-air balloon' --mask {out}/mask.png"
         " --model gpt-image-1.5 --size 1536x1024"),
    Step("08-markup", "edit of 01 where the markup\ndraws (gpt-image-2.5)",
         "edit {out}/01-gpt-image-2.5-flare.png --prompt 'a boat here' --markup {out}/markup.png"
         " --model gpt-image-2.5-flare --size 1536x1024"),
    Step("09-stream", "streamed",
         f"generate {SCENE} --model gpt-image-1.5 --stream --partial-images 3 --quality medium"),
    Step("10-refused", "", "generate x --model dall-e-3", exit_code=2),
]  # fmt: skip


def run(out: Path) -> list[tuple[Path, str]]:
    """Run every step into `out`; return each result image with its caption."""
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("[0-9][0-9]-*"), out / "contact-sheet.png"]:
        old.unlink(missing_ok=True)
    (out / "mask.png").write_bytes(mask_from_box((1536, 1024), (600, 60, 1476, 964)))
    _markup(out / "markup.png", (1536, 1024), (160, 640, 700, 980))
    results: list[tuple[Path, str]] = []
    for step in STEPS:
        argv = step.argv(out)
        print(f"\n$ images {shlex.join(argv)}", flush=True)
        code = images(argv)
        if code != step.exit_code:
            raise SystemExit(f"demo: step {step.name} exited {code}, expected {step.exit_code}")
        results += [(path, _caption(path, step)) for path in sorted(out.glob(step.name + "*"))]
    return results


def _markup(path: Path, size: tuple[int, int], box: tuple[int, int, int, int]) -> None:
    """A transparent PNG with a red ring drawn where the edit should go."""
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(overlay).ellipse(box, outline=(230, 30, 30, 255), width=12)
    overlay.save(path)


def _caption(path: Path, step: Step) -> str:
    detail = step.caption
    if "--stream" in step.command:
        index = path.stem.rpartition("-partial-")[2]
        detail = f"streamed: partial {index}" if "-partial-" in path.stem else "streamed: final"
    width, height = imagesize.get(path)  # SVG too, which Pillow does not read
    return f"{path.name}, {width:g}x{height:g}\n{detail}"


def contact_sheet(results: list[tuple[Path, str]], target: Path) -> Path:
    """One PNG with a captioned thumbnail of every result, on a checkerboard to show transparency."""
    rows = -(-len(results) // COLUMNS)
    sheet = Image.new("RGB", (COLUMNS * THUMB, rows * (THUMB + CAPTION)), "white")
    pen = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=FONT)
    for index, (path, caption) in enumerate(results):
        x, y = index % COLUMNS * THUMB, index // COLUMNS * (THUMB + CAPTION)
        sheet.paste(_thumbnail(path), (x, y))
        text = _fitted(caption, font, THUMB - 16)
        pen.multiline_text((x + 8, y + THUMB + 5), text, fill="black", font=font, spacing=5)
    sheet.save(target)
    return target


def _fitted(caption: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The caption wrapped between words so that no line is wider than its tile."""
    lines: list[str] = []
    for paragraph in caption.splitlines():
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def _thumbnail(path: Path) -> Image.Image:
    tile = Image.new("RGB", (THUMB, THUMB), (236, 236, 236))
    checks = ImageDraw.Draw(tile)
    for cx in range(0, THUMB, 16):
        for cy in range(0, THUMB, 16):
            if (cx + cy) // 16 % 2:
                checks.rectangle((cx, cy, cx + 15, cy + 15), fill=(210, 210, 210))
    if path.suffix == ".svg":  # drawn as text: rasterising SVG needs a library the demo does not carry
        ImageDraw.Draw(tile).multiline_text(
            (THUMB // 2, THUMB // 2), "SVG document\n(open the file)", fill="black", anchor="mm",
            font=ImageFont.load_default(size=FONT + 6), align="center",
        )  # fmt: skip
        return tile
    with Image.open(path) as image:  # a GIF shows its first frame
        image.thumbnail((THUMB - 8, THUMB - 8))
        picture = image.convert("RGBA")
    tile.paste(picture, ((THUMB - picture.width) // 2, (THUMB - picture.height) // 2), picture)
    return tile


def main(argv: list[str]) -> int:
    started = time.monotonic()
    out = Path(argv[0] if argv else "out")
    results = run(out)
    sheet = contact_sheet(results, out / "contact-sheet.png")
    requests = sum(1 for step in STEPS if step.exit_code == 0)
    print(
        f"\ndemo: {len(results)} images from {requests} requests (and one for a retired model, refused before"
        f" sending) in {time.monotonic() - started:.1f} s, offline against the built-in emulator.\n"
        f"Open {sheet} to see them all; the files are in {out}/."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
