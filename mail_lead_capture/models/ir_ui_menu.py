from odoo import models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def load_web_menus(self, debug):
        """Show the current user's pending unmatched mail count next to its menu."""
        menus = super().load_web_menus(debug)
        menu = self.env.ref(
            "mail_lead_capture.mail_capture_unmatched_menu", raise_if_not_found=False
        )
        if menu and menu.id in menus:
            count = self.env["mail.capture.unmatched"].search_count(
                [("user_id", "=", self.env.uid), ("state", "=", "pending")]
            )
            if count:
                menus[menu.id] = dict(menus[menu.id], name=f"{menus[menu.id]['name']} ({count})")
        return menus
