"""Stage 5, ui: how answers reach a person.

``app`` is the Gradio chat (``build_app(assistant) -> gr.Blocks``, ``launch``, ``serve``) with its
stylesheet and script in ``static/``: ``build_app`` wires the page's ``layout`` (its components) to the
``controller`` (``ChatController``, one method per event); ``catalog`` is what the page shows about the
index; ``wording`` the UI's own labels and notes (the safety texts stay in ``medquote.safety.templates``);
``html`` renders an ``Answer`` as escaped chat HTML and ``text``
as terminal text; ``provenance`` says what a source card says (and the citation to copy); ``sources``
renders the scope panel and the "About the sources" table; ``viewer`` is the page showing a quote in
its whole source; ``feedback`` appends thumbs up/down (and reasons) to a JSONL file; ``network`` is
what the server exposes (a port in use said in one line, uploads refused).
"""
