"""The domain's email rule (issues_domain/values.py) against Django's EmailValidator.

The domain cannot import Django, so it restates the validator's grammar; these samples hold
the two together. The domain refuses a little more on purpose (quoted local parts, bare host
names, IP literals, local parts over 64 characters) and never accepts what Django refuses.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from issues_domain.errors import InvalidInput
from issues_domain.values import clean_email

BOTH_ACCEPT = [
    "fred@example.org",
    "fred.bloggs+helpdesk@mail.example.org",
    "o'brien@example.ie",
    "a!#$%&'*+/=?^_`{|}~-z@example.org",
    "fred@xn--bcher-kva.example",
    "fred@bücher.example",
    "fred@sub-domain.example.co.uk",
    "FRED@EXAMPLE.ORG",
]
BOTH_REFUSE = [
    '"x"<a@b.org>',
    "Fred <fred@example.org>",
    "x@evil.org,z",
    "a@b.org, c@d.org",
    "fred@example.org\nBcc: x@y.z",
    "fred bloggs@example.org",
    "fred@exam ple.org",
    "fred@example..org",
    "fred.@example.org",
    ".fred@example.org",
    "fred..bloggs@example.org",
    "fred@-example.org",
    "fred@example-.org",
    "fred@example.o",
    "fred@example.123",
    "fred@home@example.org",
    "frédéric@example.org",
    "fred\x00@example.org",
]
ONLY_DJANGO_ACCEPTS = [
    '"fred..bloggs"@example.org',
    "fred@localhost",
    "fred@[192.0.2.1]",
    "f" * 65 + "@example.org",
]


def domain_accepts(address: str) -> bool:
    try:
        clean_email(address)
    except InvalidInput:
        return False
    return True


def django_accepts(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("address", BOTH_ACCEPT)
def test_both_accept(address):
    assert (domain_accepts(address), django_accepts(address)) == (True, True)


@pytest.mark.parametrize("address", BOTH_REFUSE)
def test_both_refuse(address):
    assert (domain_accepts(address), django_accepts(address)) == (False, False)


@pytest.mark.parametrize("address", ONLY_DJANGO_ACCEPTS)
def test_the_domain_refuses_what_no_mail_server_takes_as_one_persons_address(address):
    assert (domain_accepts(address), django_accepts(address)) == (False, True)
