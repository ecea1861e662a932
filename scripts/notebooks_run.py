"""Executes notebooks headlessly with nbclient; used by scripts/notebooks.sh.

  python notebooks_run.py [--repeat N] [--cell-timeout S] [--startup-timeout S] [--out DIR] NB.ipynb ...

Each notebook runs in a fresh kernel (the one its metadata names). A cell that raises, a cell that
runs past --cell-timeout and a kernel that does not answer within --startup-timeout all count as a
failure; nothing is retried, so a start-up hang shows up as a failure. Executed copies go to --out.
The last line is 'N passed, M failed' (exit code 1 when M > 0).
"""
import argparse
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def first_error(nb):
    """Where and what: the first cell with an error output, its first source line and the error text."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                text = "\n".join([out.get("ename", ""), out.get("evalue", "")] + list(out.get("traceback", [])))
                text = ANSI.sub("", text).strip()
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return "cell %d (%s):\n      %s" % (i, first[:80], "\n      ".join(text.splitlines()[:30]))
    return "(no error output found)"


def run_one(path, out_dir, cell_timeout, startup_timeout, tag):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        startup_timeout=startup_timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
        allow_errors=False,
    )
    started = time.monotonic()
    error = None
    try:
        client.execute()
    except CellExecutionError:
        error = "cell error: " + first_error(nb)
    except CellTimeoutError as e:
        error = "cell timeout (%ss): %s" % (cell_timeout, str(e).strip().splitlines()[0][:200])
    except DeadKernelError as e:
        error = "kernel died: %s" % e
    except RuntimeError as e:  # nbclient raises RuntimeError when the kernel does not answer at start
        error = "kernel start: %s" % e
    except TimeoutError as e:
        error = "kernel start timeout (%ss): %s" % (startup_timeout, e)
    seconds = time.monotonic() - started
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        name = os.path.splitext(os.path.basename(path))[0] + tag + ".ipynb"
        nbformat.write(nb, os.path.join(out_dir, name))
    return error, seconds


def main():
    p = argparse.ArgumentParser()
    p.add_argument("notebooks", nargs="+")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--cell-timeout", type=int, default=300)
    p.add_argument("--startup-timeout", type=int, default=120)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    passed = failed = 0
    for i in range(a.repeat):
        for path in a.notebooks:
            tag = "" if a.repeat == 1 else ".run%02d" % (i + 1)
            error, seconds = run_one(path, a.out, a.cell_timeout, a.startup_timeout, tag)
            if error and error.startswith("kernel start"):
                # A kernel that did not come up ran no cell: start it once more. Jupyter picks its
                # kernels' TCP ports free and the kernel binds them later, so another process can
                # take one in between ("Address already in use", seen once in CI on a heartbeat port).
                print("retry %-39s kernel did not start: %s" % (os.path.basename(path), error), flush=True)
                error, seconds = run_one(path, a.out, a.cell_timeout, a.startup_timeout, tag)
            label = os.path.basename(path) + ("" if a.repeat == 1 else " run %d/%d" % (i + 1, a.repeat))
            if error:
                failed += 1
                print("FAIL %-40s %6.1f s  %s" % (label, seconds, error), flush=True)
            else:
                passed += 1
                print("ok   %-40s %6.1f s" % (label, seconds), flush=True)
    print("notebooks: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
