import { registerMessageAction } from "@mail/core/common/message_actions";
import { Message } from "@mail/core/common/message_model";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";

/** What the chatter needs to offer a synced mail's owner its privacy and two-way actions. */
patch(Message.prototype, {
    setup() {
        super.setup(...arguments);
        /** @type {boolean|undefined} synced mail only its owner sees */
        this.lead_capture_private = undefined;
        /** @type {boolean|undefined} synced from the current user's mailbox */
        this.lead_capture_mine = undefined;
        /** @type {boolean|undefined} its mailbox follows what Odoo does (archive, delete) */
        this.lead_capture_two_way = undefined;
    },
});

function callMessage(message, method) {
    return message.store.env.services.orm.call("mail.message", method, [[message.id]]);
}

registerMessageAction("lead-capture-privacy", {
    condition: ({ message }) => message.lead_capture_mine,
    icon: ({ message }) => (message.lead_capture_private ? "fa fa-unlock" : "fa fa-lock"),
    name: ({ message }) =>
        message.lead_capture_private ? _t("Share with the lead's team") : _t("Make private"),
    onSelected: async ({ message }) => {
        const makePrivate = !message.lead_capture_private;
        await callMessage(
            message,
            makePrivate ? "action_lead_capture_make_private" : "action_lead_capture_share"
        );
        message.lead_capture_private = makePrivate;
    },
    sequence: 70,
});

registerMessageAction("lead-capture-archive", {
    condition: ({ message }) => message.lead_capture_mine && message.lead_capture_two_way,
    icon: "fa fa-archive",
    name: _t("Archive in my mailbox"),
    onSelected: async ({ message }) => {
        await callMessage(message, "action_lead_capture_archive");
        message.store.env.services.notification.add(
            _t("The mail moves to your mailbox's Archive at the next sync."),
            { type: "info" }
        );
    },
    sequence: 71,
});

registerMessageAction("lead-capture-trash", {
    condition: ({ message }) => message.lead_capture_mine && message.lead_capture_two_way,
    icon: "fa fa-trash-o",
    name: _t("Delete, and move to my mailbox's Trash"),
    onSelected: async ({ message }) => {
        const thread = message.thread;
        await callMessage(message, "action_lead_capture_trash");
        if (thread) {
            thread.messages = thread.messages.filter((m) => m.notEq(message));
        }
        message.delete();
    },
    sequence: 121,
});
