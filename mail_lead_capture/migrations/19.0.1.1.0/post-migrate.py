"""19.0.1.1.0: sales managers no longer read other users' private mailbox decisions.

The record rules live in ``noupdate`` data, which an upgrade creates but never rewrites: the
Capture Log rule for sales managers that earlier versions installed still shows every line, so
it is rewritten here to the rule a fresh install gets (new rules, such as the administrators'
one, are created by the upgrade itself).
"""

from odoo import SUPERUSER_ID
from odoo import api

MANAGER_RULE = "mail_lead_capture.mail_capture_log_rule_manager"
MANAGER_DOMAIN = "['|', ('private_user_id', '=', False), ('private_user_id', '=', user.id)]"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(MANAGER_RULE, raise_if_not_found=False)
    if rule:
        rule.write(
            {
                "name": "Capture log: all decisions but others' private mail",
                "domain_force": MANAGER_DOMAIN,
            }
        )
