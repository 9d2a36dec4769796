"""Hard-links pages into a staging folder: the ``Linker``'s process (run as a script).

Reads ``live NUL path NUL`` pairs on standard input until it closes; makes each
``path`` a hard link to ``live`` (its folders first), or a copy where a link fails; then
writes one line per pair it could not make at all (``path: error``) on standard output.
Its own process, so the tens of thousands of system calls run on another core without
waiting for the build's interpreter (a thread would, for the GIL, between every two).

Standard library only: started with ``python -I -S``, it imports nothing of the site.
"""

import os
import shutil
import sys


def main() -> None:
    made: set[bytes] = set()
    errors: list[str] = []
    pending = b""
    stream = sys.stdin.buffer
    while chunk := stream.read1(1 << 16):
        pending += chunk
        *fields, pending = pending.split(b"\0")
        if len(fields) % 2:  # a pair cut between two reads: its first half kept
            pending = fields.pop() + b"\0" + pending
        for live, path in zip(fields[0::2], fields[1::2], strict=True):
            try:
                folder = os.path.dirname(path)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                try:
                    os.link(live, path)
                except OSError:
                    shutil.copy2(live, path)
            except Exception as error:  # reported: never a page silently missing
                errors.append(f"{os.fsdecode(path)}: {error}")
    sys.stdout.write("".join(line.replace("\n", " ") + "\n" for line in errors))


if __name__ == "__main__":
    main()
