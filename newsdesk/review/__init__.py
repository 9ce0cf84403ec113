"""The review desk: editors review the translation memory in the preview, segment by segment.

`desk` reads what waits for review and writes the editor's work through newsdesk.memory,
`editing` turns a translation into the text an editor edits and back, `web` serves the pages
under /_review/ of the preview (newsdesk.preview), `words` names things in each edition's
language. Nothing of it is part of a built site.
"""
