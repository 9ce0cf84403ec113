"""Pelican's writer, for one edition: its feeds link to the edition and carry its language."""

from pelican.writers import Writer

# The site's tagline, translated by the theme's catalog (the templates use the same string).
TAGLINE = "News and analysis from Serbia and Europe"


class EditionWriter(Writer):
    """Writes one edition's files."""

    def __init__(self, output_path, edition):
        super().__init__(output_path, settings=edition.settings)
        self.edition = edition

    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        feed.feed["link"] = self.urljoiner(self.site_url, self.edition.url("index"))
        feed.feed["language"] = self.edition.code
        tagline = self.edition.translations.gettext(TAGLINE)
        feed.feed["description"] = feed.feed["subtitle"] = tagline
        return feed
