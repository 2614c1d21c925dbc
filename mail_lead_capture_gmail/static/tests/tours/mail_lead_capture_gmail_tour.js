import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const tours = registry.category("web_tour.tours");

/**
 * Type the value the test left in sessionStorage under ``key`` into the field ``name``.
 * @param {string} name
 * @param {string} key
 */
function editFromStorage(name, key) {
    return {
        trigger: `.o_form_view div[name=${name}] input`,
        async run(helpers) {
            await helpers.edit(sessionStorage.getItem(key));
        },
    };
}

/**
 * A salesperson connects a mailbox with Google: new mailbox, "Sign In With: Google" (Google's
 * server is filled in, no password asked), then "Sign in with Google", which sends the browser
 * to Google's consent page. The test plays Google there (it sends the browser back to Odoo with a
 * code from the local provider), and the tour goes on in Odoo: the mailbox is connected.
 * Google's IMAP server is the test Dovecot: its port, login and certificate come from the test
 * in sessionStorage (mlc_imap_port, mlc_imap_login, mlc_imap_fingerprint).
 */
tours.add("mail_lead_capture_gmail_sign_in", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="mail_lead_capture.mail_lead_capture_menu"]',
            run: "click",
        },
        {
            trigger: 'a[data-menu-xmlid="mail_lead_capture.mail_capture_mailbox_my_menu"]',
            run: "click",
        },
        { trigger: ".o_list_button_add", run: "click" },
        { trigger: ".o_form_view div[name=email] input", run: "edit bob@acme.example" },
        {
            content: "Sign in with Google rather than a password",
            trigger: ".o_form_view div[name=auth_method] input[data-value=google]",
            run: "click",
        },
        {
            content: "Google's server is filled in",
            trigger: ".o_form_view div[name=host] input:value(imap.gmail.com)",
        },
        {
            content: "and no password is asked for",
            trigger: ".o_form_view:not(:has(div[name=password]))",
        },
        { trigger: ".o_form_view div[name=host] input", run: "edit 127.0.0.1" },
        editFromStorage("port", "mlc_imap_port"),
        editFromStorage("login", "mlc_imap_login"),
        editFromStorage("tls_fingerprint", "mlc_imap_fingerprint"),
        {
            content: "Off to Google's consent page",
            trigger: ".o_form_view .o_form_statusbar button[name=action_lead_capture_sign_in_google]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back from Google: the mailbox is connected",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Syncing), .o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Connected)",
        },
        {
            content: "and its folders are listed",
            trigger: ".o_form_view div[name=folder_ids] .o_data_row:contains(INBOX)",
        },
    ],
});
