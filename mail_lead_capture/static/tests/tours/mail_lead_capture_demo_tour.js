import { registry } from "@web/core/registry";

// An email's body is drawn in a shadow root inside the message: ":shadow" looks in there.
const HANK_REPLY = ".o-mail-Message:contains(Re: Globex rollout) .o-mail-Message-body div:shadow";

/**
 * The demo: Ines opens the Globex lead and reads Hank's reply, synced from her mailbox.
 */
registry.category("web_tour.tours").add("mail_lead_capture_demo_synced_mail", {
    steps: () => [
        {
            content: "The lead of the demo's Globex deal is open",
            trigger: ".o_breadcrumb:contains(Globex: 500 seats)",
        },
        {
            content: "Hank's reply, synced from Ines's mailbox, is in the chatter",
            trigger: `${HANK_REPLY} p:contains(Thursday at 3 pm works)`,
        },
        {
            content: "with the part he quoted folded away, as Odoo folds quotes",
            trigger: `${HANK_REPLY} blockquote[data-o-mail-quote]:not(:visible)`,
        },
        {
            content: "and the proposal Ines sent from her mail client",
            trigger: ".o-mail-Message .o-mail-Message-body div:shadow p:contains(500 seats at 96 per seat and year)",
        },
    ],
});
