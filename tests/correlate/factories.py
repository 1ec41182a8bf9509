"""Small builders of messages, staff and accounts for the correlate tests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from falsefriends.model import Account, Channel, Connection, Message, Sector, StaffMember

T0 = datetime(2024, 3, 1, 9, 0)

OFFER = (
    "{greeting} {name},\nI came across your impressive profile and I am convinced you are exactly the expert our"
    " client, a renowned think tank in {city}, is looking for. They would pay {fee} USD for a short report on"
    " {topic}. If you are interested, could we continue on WhatsApp?\nBest regards,\n{sender}"
)
CONFERENCE = (
    "Hello {name}, the annual conference on water management in {city} opens registrations next week; the"
    " programme and the list of speakers are on our website. We hope to see you there."
)
RECRUITER = (
    "Hi {name}, I lead hiring for a software company and we have an opening for a backend engineer working on"
    " payment systems. Would you be open to a short call about the role and the salary range?"
)


def staff(n: int = 12) -> list[StaffMember]:
    departments = ["defence", "energy", "finance", "it"]
    return [
        StaffMember(
            staff_id=f"s{i}",
            name=f"Staffname{i} Surname{i}",
            department=departments[i % len(departments)],
            sector=Sector.STATE if i % 2 == 0 else Sector.BUSINESS,
            profile_url=f"https://www.linkedin.com/in/staff{i}",
        )
        for i in range(n)
    ]


def message(
    mid: str, body: str, sender: str, recipient: str, at: datetime = T0, sender_name: str = ""
) -> Message:
    return Message(
        id=mid, body=body, sender=sender, recipients=(recipient,), sent_at=at, channel=Channel.INVITATION,
        sender_name=sender_name,
    )


def account(key: str, **fields: object) -> Account:
    return Account(key=key, name=fields.pop("name", key), **fields)  # type: ignore[arg-type]


def connection(owner: str, contact: str, on: date) -> Connection:
    return Connection(owner=owner, contact=Account(key=contact), connected_on=on)


def days(n: float) -> timedelta:
    return timedelta(days=n)
