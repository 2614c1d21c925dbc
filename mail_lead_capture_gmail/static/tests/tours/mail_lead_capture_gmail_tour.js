import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const tours = registry.category("web_tour.tours");

/**
 * A salesperson connects a mailbox with Google: new mailbox, "Sign In With: Google" (the Gmail
 * server is filled in), then "Sign in with Google", which sends the browser to Google's consent
 * page. The tour stops there: the test plays Google and sends the user back to Odoo.
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
            content: "Google's server is filled in, and no password is asked for",
            trigger: ".o_form_view div[name=host] input:value(imap.gmail.com)",
        },
        {
            trigger: ".o_form_view:not(:has(div[name=password]))",
        },
        {
            content: "Off to Google's consent page",
            trigger: ".o_form_view .o_form_statusbar button[name=action_lead_capture_sign_in_google]",
            run: "click",
        },
    ],
});

/** Back from Google: the mailbox is connected and its folders are listed. */
tours.add("mail_lead_capture_gmail_connected", {
    steps: () => [
        {
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Syncing), .o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Connected)",
        },
        {
            trigger: ".o_form_view div[name=folder_ids] .o_data_row:contains(INBOX)",
        },
        {
            content: "Signed in: the button now offers to sign in again, not first",
            trigger: ".o_form_view .o_form_statusbar button[name=action_lead_capture_sign_in_google]:not(.btn-primary)",
        },
    ],
});
