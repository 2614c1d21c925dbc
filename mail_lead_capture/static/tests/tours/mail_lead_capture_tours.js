import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const tours = registry.category("web_tour.tours");
const ADDRESS = "#lead_capture_address .o_field_CopyClipboardChar";

/** An administrator copies the capture address from Settings, then regenerates it. */
tours.add("mail_lead_capture_copy_address", {
    url: "/odoo/action-crm.crm_config_settings_action",
    steps: () => [
        {
            content: "The capture address is shown in CRM settings",
            trigger: `${ADDRESS}:contains(leads-)`,
            run() {
                // Headless Chromium grants no clipboard permission: record what would be copied.
                navigator.clipboard.writeText = async (text) => {
                    sessionStorage.setItem("mlc_copied", text);
                };
            },
        },
        {
            content: "Copy it",
            trigger: `${ADDRESS} .o_clipboard_button`,
            run: "click",
        },
        {
            content: "The copied text is the address shown",
            trigger: `${ADDRESS}:contains(leads-)`,
            run() {
                const shown = document.querySelector(ADDRESS).textContent.trim();
                const copied = sessionStorage.getItem("mlc_copied");
                if (!copied || !shown.includes(copied)) {
                    throw new Error(`copied "${copied}" but the page shows "${shown}"`);
                }
            },
        },
        {
            content: "Regenerate the address",
            trigger: "button[name=action_lead_capture_regenerate_alias]",
            run: "click",
        },
        {
            content: "Confirm: the old address stops working",
            trigger: ".modal:contains(stop working) .modal-footer .btn-primary",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "A new address is shown",
            trigger: `${ADDRESS}:contains(leads-)`,
            run() {
                const shown = document.querySelector(ADDRESS).textContent.trim();
                if (shown.includes(sessionStorage.getItem("mlc_copied"))) {
                    throw new Error("the address was not regenerated");
                }
            },
        },
    ],
});

/** A salesperson adds an alternate address in their preferences. */
tours.add("mail_lead_capture_add_alternate_address", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_user_menu button", run: "click" },
        { trigger: "[data-menu=preferences]", run: "click" },
        { trigger: ".modal a.nav-link:contains(Email Capture)", run: "click" },
        {
            content: "The capture address is shown to the user",
            trigger: ".modal div[name=lead_capture_email]:contains(leads-)",
        },
        {
            trigger: ".modal div[name=lead_capture_address_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal div[name=lead_capture_address_ids] .o_data_row [name=email] input",
            run: "edit bob.home@example.org",
        },
        { trigger: ".modal button[name=preference_save]", run: "click", expectUnloadPage: true },
        { trigger: ".o_user_menu button" },
    ],
});

/** After opening the mailed link, the address shows as confirmed. */
tours.add("mail_lead_capture_alternate_address_confirmed", {
    url: "/odoo",
    steps: () => [
        { trigger: ".o_user_menu button", run: "click" },
        { trigger: "[data-menu=preferences]", run: "click" },
        { trigger: ".modal a.nav-link:contains(Email Capture)", run: "click" },
        {
            content: "The alternate address is confirmed",
            trigger:
                ".modal div[name=lead_capture_address_ids] .o_data_row:contains(bob.home@example.org):contains(Confirmed)",
        },
    ],
});

/** A salesperson links one unmatched mail, creates a lead from another, discards a third. */
tours.add("mail_lead_capture_unmatched", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("crm.crm_menu_root"),
        {
            trigger: 'button[data-menu-xmlid="mail_lead_capture.mail_lead_capture_menu"]',
            run: "click",
        },
        {
            content: "The menu shows the three pending mails",
            trigger: 'a[data-menu-xmlid="mail_lead_capture.mail_capture_unmatched_menu"]:contains((3))',
            run: "click",
        },
        { trigger: ".o_data_row:contains(Item to link) td[name=subject]", run: "click" },
        { trigger: "button[name=action_link_wizard]", run: "click" },
        { trigger: ".modal div[name=lead_id] input", run: "edit Tour target" },
        { trigger: "a.dropdown-item:contains(Tour target deal)", run: "click" },
        { trigger: ".modal button[name=action_link]", run: "click" },
        {
            content: "The mail is on the lead, with the reason it was filed there",
            trigger: ".o_form_view:has(.o_breadcrumb:contains(Tour target deal)) .o-mail-Message:contains(Item to link) .o-mail-Message-leadCaptureTrace:contains(Filed on lead Tour target deal)",
        },
        { trigger: ".o_breadcrumb a:contains(Unmatched Mail)", run: "click" },
        { trigger: ".o_data_row:contains(Item to create) td[name=subject]", run: "click" },
        { trigger: "button[name=action_create_lead]", run: "click" },
        {
            content: "A lead named after the recipient holds the mail",
            trigger: ".o_form_view:has(.o_breadcrumb:contains(Zoe Tour)) .o-mail-Message:contains(Item to create)",
        },
        { trigger: ".o_breadcrumb a:contains(Unmatched Mail)", run: "click" },
        { trigger: ".o_data_row:contains(Item to discard) td[name=subject]", run: "click" },
        { trigger: "button[name=action_discard]", run: "click" },
        { trigger: ".o_form_view button[name=action_restore]" },
    ],
});
