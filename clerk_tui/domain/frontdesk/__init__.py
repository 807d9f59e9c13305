"""The police front desk (F7): visitors and badges, records requests (CPRA), stored and
impounded vehicles, repossessions, registrants (a local tickler), subpoenas and phone messages.

Sensitive records (registrants, records requests, impounds, subpoenas) are seen only by a clerk
whose role allows `frontdesk.records` AND whom an admin has cleared for police records
(`access.py`); every view of a registrant or a records request is audited. Money is taken as
ordinary receipt items (`items.py`); deadlines and fees come from `data/frontdesk/rules.toml`
and business days from the utility desk's calendar.
"""
