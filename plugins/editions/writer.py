"""Pelican's writer, with feeds that say which language they are in."""

from pelican.writers import Writer


class EditionWriter(Writer):
    """Writes one edition; its feeds carry the edition's language tag."""

    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        feed.feed["language"] = self.settings["DEFAULT_LANG"]
        return feed
