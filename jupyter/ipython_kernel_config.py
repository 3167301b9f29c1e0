"""Kernel settings of the course, installed into .venv/etc/ipython/ by `make`.

IPython reads this file in every kernel that the course's Python starts (JupyterLab, nbval,
nbclient, `make report`), before the kernel connects the notebook to its output. So:

- TensorFlow's C++ log level is set before TensorFlow loads (the `make` targets set it too;
  an explicit value in the environment wins, e.g. `TF_CPP_MIN_LOG_LEVEL=0 make lab`);
- TensorFlow is imported here, so the few lines its C++ libraries print while loading (for
  example `cudart_stub.cc ... Could not find cuda drivers`, logged before TensorFlow reads its
  log level) go to the terminal that runs JupyterLab, not into the notebook's Setup cell.
  Everything the notebook does later, including Python warnings and `tf.print`, still shows in
  the notebook.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Importing TensorFlow imports matplotlib, and before ipykernel has chosen the inline backend
# matplotlib would fall back to Agg and no figure would show: choose inline first.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
try:
    import tensorflow  # noqa: F401
except Exception:  # noqa: BLE001 - the notebook's own import shows the real error
    pass
