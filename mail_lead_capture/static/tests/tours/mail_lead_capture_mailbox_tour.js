import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

const tours = registry.category("web_tour.tours");

/**
 * Pick ``label`` in the selection field ``name`` of the form.
 * @param {string} name
 * @param {string} label
 */
function choose(name, label) {
    return [
        {
            content: `Open the ${name} choices`,
            trigger: `.o_form_view div[name=${name}] .o_select_menu_toggler, .o_form_view div[name=${name}] input`,
            run: "click",
        },
        {
            content: `Choose ${label}`,
            trigger: `.o_select_menu_item:contains(${label})`,
            run: "click",
        },
    ];
}

/**
 * A salesperson connects their mailbox: a provider preset, Test Connection, chosen folders, and
 * the sync's progress. The test sets the test server's login, password and port in
 * sessionStorage (mlc_imap_login, mlc_imap_password, mlc_imap_port).
 */
tours.add("mail_lead_capture_connect_mailbox", {
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
        ...choose("preset", "Gmail"),
        {
            content: "The preset fills in the server",
            trigger: ".o_form_view div[name=host] input:value(imap.gmail.com)",
        },
        {
            content: "and says that two-factor authentication needs an app password",
            trigger: ".o_form_view div[name=preset_hint]:contains(app password)",
        },
        // Our mail server is the test Dovecot on this machine: a generic IMAP server.
        ...choose("preset", "IMAP"),
        { trigger: ".o_form_view div[name=host] input", run: "edit 127.0.0.1" },
        {
            trigger: ".o_form_view div[name=port] input",
            async run(helpers) {
                await helpers.edit(sessionStorage.getItem("mlc_imap_port"));
            },
        },
        ...choose("security", "None"),
        {
            trigger: ".o_form_view div[name=login] input",
            async run(helpers) {
                await helpers.edit(sessionStorage.getItem("mlc_imap_login"));
            },
        },
        {
            trigger: ".o_form_view div[name=password] input",
            async run(helpers) {
                await helpers.edit(sessionStorage.getItem("mlc_imap_password"));
            },
        },
        { trigger: ".o_form_view button[name=action_test_connection]", run: "click" },
        {
            content: "Test Connection answers",
            trigger: ".o_notification:contains(folders found)",
        },
        {
            content: "The server's folders are listed, Trash never synced",
            trigger: ".o_form_view div[name=folder_ids] .o_data_row:contains(Trash):contains(never synced)",
        },
        {
            content: "Sync only chosen folders",
            trigger: ".o_form_view div[name=scope] input[data-value=chosen]",
            run: "click",
        },
        {
            content: "Choose Projects too",
            trigger:
                ".o_form_view div[name=folder_ids] .o_data_row:contains(Projects) div[name=chosen] input",
            run: "click",
        },
        { trigger: ".o_form_view .o_form_button_save", run: "click" },
        { trigger: ".o_form_view .o_form_saved" },
        { trigger: ".o_form_view button[name=action_sync_now]", run: "click" },
        {
            content: "Sync answers",
            trigger: ".o_notification:contains(up to date)",
        },
        {
            content: "The first import's progress shows, complete",
            trigger: ".o_form_view div[name=import_progress]:contains(100)",
        },
        {
            content: "Every mail of the chosen folders was examined",
            trigger: ".o_form_view div[name=import_done]:contains(2)",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains(Connected)",
        },
    ],
});

/** The owner of a private synced mail shares it with the lead's team, from the chatter. */
tours.add("mail_lead_capture_share_synced_mail", {
    steps: () => [
        {
            content: "The synced mail is on the lead",
            trigger: ".o-mail-Message:contains(In the inbox)",
            run: "hover && click .o-mail-Message:contains(In the inbox) [title='Expand']",
        },
        {
            content: "Its owner shares it with the lead's team",
            trigger:
                ".o-mail-Message-moreMenu [title=\"Share with the lead's team\"], .o-mail-Message [title=\"Share with the lead's team\"]",
            run: "click",
        },
        {
            content: "It may be made private again",
            trigger: ".o-mail-Message:contains(In the inbox)",
            run: "hover && click .o-mail-Message:contains(In the inbox) [title='Expand']",
        },
        {
            trigger:
                ".o-mail-Message-moreMenu [title='Make private'], .o-mail-Message [title='Make private']",
        },
    ],
});
