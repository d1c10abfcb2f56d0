"""Stage 5, ui: how answers reach a person.

``app`` is the Gradio chat (``build_app(assistant) -> gr.Blocks``, ``launch``, ``serve``) with its
stylesheet in ``static/medquote.css``; ``html`` renders an ``Answer`` as escaped chat HTML and
``text`` as terminal text; ``feedback`` appends thumbs up/down to a JSONL file.
"""
