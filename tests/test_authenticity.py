from mail_lead_capture.tools import authenticity
from mail_lead_capture.tools.authenticity import FAIL
from mail_lead_capture.tools.authenticity import PASS
from mail_lead_capture.tools.authenticity import UNKNOWN

TRUSTED = authenticity.parse_trusted_ids("mx.acme.example, Mail.Provider.example")
FORGED = (
    "mx.acme.example; spf=fail smtp.mailfrom=evil.example; "
    "dkim=none; dmarc=fail (p=reject) header.from=acme.example"
)


def decide(*headers, sender="bob@acme.example", strict=False, trusted=TRUSTED):
    return authenticity.verdict(list(headers), sender, trusted, strict=strict)


def test_trusted_ids_are_a_lower_cased_list():
    assert TRUSTED == {"mx.acme.example", "mail.provider.example"}
    assert authenticity.parse_trusted_ids(" a.example;b.example\n c.example ") == {
        "a.example",
        "b.example",
        "c.example",
    }
    assert authenticity.parse_trusted_ids(None) == frozenset()


def test_dmarc_fail_is_forged():
    result = decide(FORGED)
    assert (result.outcome, result.reason, result.authserv_id) == (
        FAIL,
        authenticity.DMARC_FAIL,
        "mx.acme.example",
    )
    assert result.forged


def test_spf_fail_without_aligned_dkim_is_forged():
    header = "mx.acme.example; spf=fail smtp.mailfrom=acme.example; dkim=pass header.d=evil.example"
    assert decide(header).reason == authenticity.SPF_FAIL


def test_spf_fail_with_aligned_dkim_pass_is_not_forged():
    # Forwarded mail breaks SPF; a DKIM signature of the From: domain still proves it.
    header = (
        "mx.acme.example; spf=fail smtp.mailfrom=lists.example; dkim=pass header.d=acme.example"
    )
    assert decide(header).outcome == PASS
    assert decide(header).reason == authenticity.DKIM_PASS
    subdomain = (
        "mx.acme.example; spf=fail smtp.mailfrom=x.example; dkim=pass header.d=mail.acme.example"
    )
    assert decide(subdomain).outcome == PASS


def test_dmarc_pass_passes():
    header = (
        "mx.acme.example; spf=pass smtp.mailfrom=acme.example; dmarc=pass header.from=acme.example"
    )
    assert decide(header).reason == authenticity.DMARC_PASS


def test_an_untrusted_server_is_not_read():
    header = FORGED.replace("mx.acme.example", "mx.evil.example")
    assert decide(header).outcome == UNKNOWN
    assert decide(header).reason == authenticity.NO_TRUSTED_RESULTS
    assert decide(header, strict=True).outcome == FAIL


def test_only_the_topmost_trusted_header_counts():
    # A sender writes a "pass" under our server's name; our server, above it, found a fail.
    forged_pass = "mx.acme.example; dmarc=pass header.from=acme.example"
    assert decide(FORGED, forged_pass).outcome == FAIL
    # An untrusted header above ours changes nothing.
    other = "mx.evil.example; dmarc=pass header.from=acme.example"
    assert decide(other, FORGED).outcome == FAIL


def test_no_setting_means_no_check_even_in_strict_mode():
    result = decide(FORGED, trusted=frozenset(), strict=True)
    assert (result.outcome, result.reason) == (UNKNOWN, authenticity.NOT_CONFIGURED)


def test_inconclusive_results_pass_unless_strict():
    header = "mx.acme.example; spf=softfail smtp.mailfrom=acme.example; dkim=none"
    assert decide(header).outcome == UNKNOWN
    assert decide(header, strict=True).outcome == FAIL
    assert decide(header, strict=True).reason == authenticity.NO_PASS
    aligned_spf = "mx.acme.example; spf=pass smtp.mailfrom=bounce.acme.example"
    assert decide(aligned_spf, strict=True).outcome == PASS


def test_dmarc_about_another_domain_is_not_about_this_mail():
    header = "mx.acme.example; dmarc=fail header.from=other.example"
    assert decide(header).outcome == UNKNOWN


def test_broken_headers_are_skipped_never_raised():
    for garbage in ("", ";;;", "mx.acme.example; spf", "\x00\xff", "=" * 5000):
        assert decide(garbage).outcome in (UNKNOWN, FAIL, PASS)
    assert decide(";;;", FORGED).outcome == FAIL
    assert decide(FORGED, sender=None).outcome == UNKNOWN


def test_folded_headers_are_read():
    folded = (
        "mx.acme.example;\r\n\tspf=fail smtp.mailfrom=evil.example;"
        "\r\n\tdmarc=fail header.from=acme.example"
    )
    assert decide(folded).reason == authenticity.DMARC_FAIL
