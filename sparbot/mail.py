"""E-mail to a workplace's contact, sent for the company consultant through the provider's
SMTP server (SMTP_HOST and friends). Nothing is sent when SMTP is not configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sparbot.config import Settings


class MailNotConfigured(RuntimeError):
    pass


def mail_configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_from)


def send_email(settings: Settings, *, to: str, subject: str, body: str,
               reply_to: str | None = None,
               calendar: tuple[str, bytes] | None = None) -> str:
    """Send one plain-text e-mail (with `calendar`, (method, iCalendar), an invitation a
    calendar program acts on); returns its Message-ID."""
    if not mail_configured(settings):
        raise MailNotConfigured("SMTP_HOST and SMTP_FROM are not set")
    assert settings.smtp_host is not None and settings.smtp_from is not None
    message = EmailMessage()
    message["From"] = formataddr(("sparbot", settings.smtp_from))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.split("@")[-1])
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(body)
    if calendar is not None:
        method, data = calendar
        message.add_alternative(data.decode(), subtype="calendar", params={"method": method})
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        smtp.ehlo()
        if settings.smtp_starttls and smtp.has_extn("starttls"):
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)
    return str(message["Message-ID"])
