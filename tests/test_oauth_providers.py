import dataclasses

import pytest

from mail_lead_capture.tools.oauth_providers import OAuthProvider


def provider():
    return OAuthProvider(
        code="example",
        name="Example",
        preset="example",
        imap_host="imap.example.com",
        refresh_token_field="example_refresh_token",
        access_token_field="example_access_token",
        expiration_field="example_access_token_expiration",
        client_id_param="example_client_id",
        client_secret_param="example_client_secret",
        settings="Settings > Example",
        consent_method="open_example_uri",
        access_token_method="_example_access_token",
        smtp_host="smtp.example.com",
        smtp_authentication="example",
    )


def test_token_fields_are_the_three_the_mailbox_clears_and_hides():
    assert provider().token_fields == (
        "example_refresh_token",
        "example_access_token",
        "example_access_token_expiration",
    )


def test_outgoing_server_defaults_to_submission_with_starttls():
    assert (provider().smtp_port, provider().smtp_encryption) == (587, "starttls")


def test_a_description_cannot_be_changed_once_declared():
    with pytest.raises(dataclasses.FrozenInstanceError):
        provider().name = "Other"
