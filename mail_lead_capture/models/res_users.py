from odoo import models

from ..tools import addresses


class ResUsers(models.Model):
    _inherit = "res.users"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lead_capture_addresses(self):
        """Return the normalised addresses these users own, as one frozenset.

        Mail exchanged only with these addresses is mail between colleagues and is never captured,
        whatever their domain (a user writing from gmail.com is still a colleague). Here: the
        user's email and their login when it is an address. Features that give users more
        addresses (verified alternate addresses, synced mailboxes) extend this method and add theirs
        to ``super()``'s result.
        """
        found = set()
        for user in self:
            for value in (user.email, user.login):
                if value and "@" in value and (address := addresses.normalize_address(value)):
                    found.add(address)
        return frozenset(found)
