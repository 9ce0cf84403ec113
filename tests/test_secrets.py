"""Masking secrets: every URL form, environment values in every encoding, whole lines only."""

import io
from urllib.parse import quote

import pytest

from newsdesk.secrets import RedactedStream, files_with_secrets, redact

PASSWORD = "Lozinka-Šabac-77"

# (text, the secret in it, what must stay readable) — masked by shape alone, no environment
SHAPES = [
    ("http://urednik:Lozinka-Sabac-77@127.0.0.1:9000/", "Lozinka-Sabac-77",
     "http://urednik:***@127.0.0.1:9000/"),
    ("Invalid endpoint: http://urednik:Taj/na-Nis@127.0.0.1:9/", "Taj/na-Nis",
     "http://urednik:***@127.0.0.1:9/"),
    ("`https://urednik:Taj?na#Kraljevo@s3.pregled.rs/`", "Taj?na#Kraljevo",
     "https://urednik:***@s3.pregled.rs/`"),
    ("http://urednik:Taj@na@Leskovac@h/", "Taj@na@Leskovac", "http://urednik:***@h/"),
    (f"http://urednik:{quote(PASSWORD, safe='')}@h/", quote(PASSWORD, safe=""),
     "http://urednik:***@h/"),
    ("https://ghp_samoToken2026Cacak@github.com/pregled/sajt.git", "ghp_samoToken2026Cacak",
     "https://***@github.com/pregled/sajt.git"),
    ("fatal: repository 'http://127.0.0.1:9/sajt.git?access_token=upitniToken77/' not found",
     "upitniToken77", "sajt.git?access_token=***"),
    ("https://h/sajt?token=tokenZaZrenjanin&strana=2", "tokenZaZrenjanin", "&strana=2"),
    ("https://b.s3.amazonaws.com/a.html?X-Amz-Credential=AKIAVRANJE%2F20260403%2Fus&"
     "X-Amz-Signature=f00dbabe1234&X-Amz-Security-Token=sesijaSombor",
     "f00dbabe1234", "X-Amz-Signature=***"),
    ("https://h/x?X-Amz-Credential=AKIAVRANJE%2F20260403", "AKIAVRANJE", "X-Amz-Credential=***"),
    ("https://api.pregled.rs/v1?key=kljucKikinda&sig=potpisPirot", "kljucKikinda", "key=***"),
    ("https://api.pregled.rs/v1?key=kljucKikinda&sig=potpisPirot", "potpisPirot", "sig=***"),
    ("https://pregled.rs/prijava#access_token=fragmentToken99", "fragmentToken99",
     "#access_token=***"),
    ("password='lozinkaUNavodnicima'", "lozinkaUNavodnicima", "password='***'"),
    ("Authorization: Bearer nosilacTokena.Užice", "nosilacTokena", "Authorization: Bearer ***"),
    ("Authorization: Basic eC1hY2Nlc3MtdG9rZW46dGFqbmE=", "eC1hY2Nlc3MtdG9rZW46dGFqbmE=",
     "Authorization: Basic ***"),
]


@pytest.mark.parametrize("text, secret, kept", SHAPES)
def test_every_url_form_is_masked_by_its_shape(text, secret, kept):
    masked = redact(text, environ={})
    assert secret not in masked and kept in masked, masked


@pytest.mark.parametrize("text", [
    "ssh://deploy@pregled.rs/srv/pregled",
    "deploy@pregled.rs:/srv/pregled (gh-pages)",
    "https://medium.com/@novinarka.jovanovic/tekst",
    "https://pregled.rs/pretraga/?autor=Đorđe+Šoškić&design=tamno&strana=3",
    "~ 2026/beogradski-metro-tunel/index.html",
    "s3://pregled-sajt/ at http://127.0.0.1:9000/: 12 new, 3 changed, 0 removed",
])
def test_what_is_not_secret_stays_readable(text):
    assert redact(text, environ={}) == text


def test_environment_secrets_are_masked_in_raw_and_percent_encoded_form():
    environ = {"AWS_SECRET_ACCESS_KEY": "wJal/rX+Čačak=", "HOME": "/home/urednik"}
    text = f"raw wJal/rX+Čačak= encoded {quote('wJal/rX+Čačak=', safe='')} home /home/urednik"
    assert redact(text, environ) == "raw *** encoded *** home /home/urednik"


def test_a_url_in_the_environment_gives_up_its_password_even_with_spaces():
    url = "http://urednik:tajna sa razmacima@127.0.0.1:9000/"
    masked = redact(f"error: cannot reach {url}", {"PUBLISH_S3_ENDPOINT_URL": url})
    assert "tajna sa razmacima" not in masked and "razmacima" not in masked, masked
    assert "127.0.0.1:9000" in masked


def test_a_query_token_in_the_environment_is_masked_decoded_too():
    environ = {"PUBLISH_GITHUB_PAGES_REPO": "https://git.pregled.rs/sajt.git?token=tok%2Fen+Niš"}
    assert redact("decoded: tok/en Niš, tok/en+Niš.", environ) == "decoded: ***, ***."


def test_the_stream_masks_a_secret_written_in_pieces():
    out = io.StringIO()
    stream = RedactedStream(out)
    for piece in ("pushed to http://urednik:Lozi", "nka-Šabac", "-77@127.0.0.1/", "\n", "kraj"):
        stream.write(piece)
    assert out.getvalue() == "pushed to http://urednik:***@127.0.0.1/\n"
    stream.flush()
    assert out.getvalue().endswith("\nkraj")


def test_files_holding_an_environment_secret_are_found(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("<a href='https://pregled.rs/'>Početna</a>")
    (tmp_path / "en" / "index.html").write_text(
        "<link href='https://urednik:Lozinka-Sabac-77@staging.pregled.rs/'>")
    environ = {"SITEURL": "https://urednik:Lozinka-Sabac-77@staging.pregled.rs"}
    assert files_with_secrets(tmp_path, environ) == ["en/index.html"]
    assert files_with_secrets(tmp_path, {}) == []
