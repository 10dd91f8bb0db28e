"""The ЭлЖур protocol (/apiv3/<method>, /api/<method>): existing ЭлЖур apps and libraries.

Plain Django views, not Ninja: the protocol's envelope and its parameters are fixed by the
clients. `protocol` parses the common parameters (vendor, auth_token, student, days) and
shapes the envelope; `methods` holds one function per method; `views` dispatches.
"""
