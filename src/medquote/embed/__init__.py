"""Embedding, a leaf below index and retrieval: texts → L2-normalised vectors, on the runtime chosen by name.

``base`` is what every embedder is (the ``Embedder`` protocol the tests fake, the model folder, its
fingerprint and the ``model+backend`` name); ``sbert`` runs the model in torch through
sentence-transformers; ``onnx`` exports it to ONNX (optionally int8-quantised) and runs it in
onnxruntime; ``registry`` makes an embedder by backend name (``make_embedder``); ``cache`` keeps vectors
by model name and text hash so unchanged passages are never embedded twice. A new embedding runtime is
one module here and one entry in the registry.
"""
