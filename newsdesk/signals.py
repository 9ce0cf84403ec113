"""The project's signals, for plugins: connect a function in the plugin's `register()`, as with
Pelican's own (pelican.plugins.signals), e.g. `editions_written.connect(build_index)`.

The sender of each is the editions generator (newsdesk/plugins/editions): its `editions`,
`listings` and `output_path` describe the site. The first three are sent in turn, before the
articles are placed in their editions, with groups={key: {edition code: article}}, to which a
receiver adds the versions it derives. Receivers run in the order of PLUGINS. A receiver of
editions_written that writes a file of its own does so through `cache.write` and adds its key:
the staging folder shares files with the live site (newsdesk.pagecache).
"""

from typing import Any

from blinker import signal

# What the first three send: {key: {edition code: article}} (Pelican articles).
Groups = dict[str, dict[str, Any]]

# 1st, groups=…: add versions derived from the articles as written (Latin from Cyrillic).
editions_grouped = signal("editions_grouped")
# 2nd, groups=…: add the translations (machine_translation).
editions_translate = signal("editions_translate")
# 3rd, groups=…: add versions derived from translations too (Cyrillic from Latin).
editions_translated = signal("editions_translated")
# Every page written; cache=PageCache, keys={save_as: key}, to which a receiver may add its own.
editions_written = signal("editions_written")
