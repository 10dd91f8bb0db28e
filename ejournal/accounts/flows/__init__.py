"""The account flows: each rule of logging in, typing a code and registering, written once.

The HTML views and the coming APIs (/api/v1, /apiv3) call these functions and only parse
and render around them, as django-allauth's views and headless API share its
`internal/flows`. A flow takes what a front end knows (the school, the client's address,
the browser's device, a session-like mapping), never an HttpRequest, and carries its own
limits: the throttles are counted here, so no front end can skip them.

A refusal is a `ValidationError` with a machine-readable `code` and its Russian message:
`throttled` (a `Throttled`, with the wait in seconds), `invalid_login`,
`password_incorrect`, `invitation_unusable`, or a dict of field errors.

Single-step writes keep their limits in their own service the same way:
`recovery.recovery_request` and `email_confirmation.user_email_update`.
"""
