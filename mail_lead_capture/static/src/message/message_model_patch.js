import { Message } from "@mail/core/common/message_model";
import { patch } from "@web/core/utils/patch";

/** Email capture's decision about a mail, sent by mail.message._to_store_defaults. */
patch(Message.prototype, {
    setup() {
        super.setup(...arguments);
        /** @type {string|undefined} why email capture filed this mail on this record */
        this.lead_capture_trace = undefined;
        /** @type {"incoming"|"outgoing"|undefined} */
        this.lead_capture_direction = undefined;
    },
});
