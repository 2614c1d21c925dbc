import { registerMessageAction } from "@mail/core/common/message_actions";
import { _t } from "@web/core/l10n/translation";

/** Where captured mail may be corrected from the chatter: leads and contacts. */
const REFILE_MODELS = ["crm.lead", "res.partner"];

/**
 * Open the "Correct the Filing" dialog on a captured mail; once applied, the mail leaves this
 * chatter (it is on another record now, or back in its owner's Unmatched Mail).
 */
function openRefile({ message, thread }, mode) {
    const env = message.store.env;
    return env.services.action.doAction(
        {
            type: "ir.actions.act_window",
            name: _t("Correct the Filing"),
            res_model: "mail.capture.refile",
            views: [[false, "form"]],
            target: "new",
            context: { default_message_id: message.id, default_mode: mode },
        },
        {
            onClose: (infos) => {
                if (!infos?.lead_capture_refiled) {
                    return;
                }
                if (thread) {
                    thread.messages = thread.messages.filter((m) => m.notEq(message));
                }
                message.delete();
            },
        }
    );
}

function canRefile({ message, thread }) {
    return (
        Boolean(message.lead_capture_trace) &&
        REFILE_MODELS.includes(thread?.model) &&
        (!message.lead_capture_private || message.lead_capture_mine)
    );
}

registerMessageAction("lead-capture-move", {
    condition: canRefile,
    icon: "fa fa-exchange",
    name: _t("Move to another lead"),
    onSelected: (params) => openRefile(params, "lead"),
    sequence: 72,
});

registerMessageAction("lead-capture-not-crm", {
    condition: canRefile,
    icon: "fa fa-ban",
    name: _t("Not CRM mail"),
    onSelected: (params) => openRefile(params, "review"),
    sequence: 73,
});
