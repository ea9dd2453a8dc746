"""Build tools for teaching with mmlearn: the reading edition (``make html``), the lecture slides
(``make slides``), JupyterLab anywhere (``make lab``) and the Colab set-up cell.

Run them from the repository root as modules, e.g. ``python -m tools.build_html``. They read the
committed notebooks and write under ``build/``; none of them edits a notebook except
``tools.colab_cell``, whose whole job that is.
"""
