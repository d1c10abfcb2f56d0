"""Stage 2b, engines: what searches a published build — candidate passages for a question, by row.

``base`` is the contract (the ``SearchEngine`` protocol, the ``EngineSpec`` a command names, the
``EngineKind`` that says which build is live and opens it); ``embedded`` (the default) searches the
build folder's FAISS and bm25s files in this process; ``milvus`` searches a Milvus server's versioned
collections and ``milvus_push`` writes them and moves the alias; ``registry`` names the engines and
``load_index`` opens a build with one; ``options`` are the ``--engine``/``--uri``/``--collection``
command-line options. A new search engine is one module here and one entry in the registry.
"""
