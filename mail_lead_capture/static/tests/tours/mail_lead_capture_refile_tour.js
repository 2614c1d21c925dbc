import { registry } from "@web/core/registry";

/** A salesperson moves a mail filed on the wrong lead to the right one, from the chatter. */
registry.category("web_tour.tours").add("mail_lead_capture_move_mail", {
    steps: () => [
        {
            content: "The mail was filed on the Paris lead",
            trigger: ".o-mail-Message:contains(Lyon quote)",
            run: "hover && click .o-mail-Message:contains(Lyon quote) [title='Expand']",
        },
        {
            content: "Move it to another lead",
            trigger: "[name=lead-capture-move]:contains(Move to another lead)",
            run: "click",
        },
        {
            content: "The dialog says where the mail is",
            trigger: ".modal div[name=current_place]:contains(Paris office)",
        },
        { trigger: ".modal div[name=lead_id] input", run: "edit Lyon" },
        { trigger: "a.dropdown-item:contains(Lyon project)", run: "click" },
        { trigger: ".modal div[name=reason] input", run: "edit it is about Lyon" },
        { trigger: ".modal button[name=action_apply]", run: "click" },
        {
            content: "The mail has left the Paris lead's chatter",
            trigger: ".o-mail-Chatter:not(:has(.o-mail-Message:contains(Lyon quote)))",
        },
    ],
});
