/** @odoo-module **/
/* Copyright 2026 Stock Lot Reassign Contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

// Triggers are searched inside the open dialog when there is one: no ".modal"
// prefix (jQuery would look for it inside the dialog).
function openWizardSteps(quantity) {
    return [
        {
            content: "The product shows how many units have no lot/serial number",
            trigger: `.oe_stat_button[name=action_open_lot_reassign] .o_stat_value:contains('${quantity}')`,
            isCheck: true,
        },
        {
            content: "Open the wizard",
            trigger: ".oe_stat_button[name=action_open_lot_reassign]",
        },
        {
            content: "Review: the stock of WH/Stock is listed",
            trigger: `.o_data_row .o_data_cell[name=location_id]:contains('WH/Stock')`,
            isCheck: true,
        },
        {
            content: "Review: the stock of the shelf is listed too",
            trigger: `.o_data_row .o_data_cell[name=location_id]:contains('Tour Shelf')`,
            isCheck: true,
        },
    ];
}

function applySteps() {
    return [
        {
            content: "Everything is assigned",
            trigger: `.o_field_widget[name=quantity_remaining] span:contains('0.00')`,
            isCheck: true,
        },
        {
            content: "Apply",
            trigger: `.modal-footer button[name=action_apply]`,
        },
        {
            content: "Confirm",
            trigger: `.modal-footer button.btn-primary:contains('Ok')`,
        },
        {
            content: "The History shows the adjustment that removed the stock without lot",
            trigger: ".o_list_view .o_data_row:contains('stock without lot/serial removed')",
            isCheck: true,
        },
        {
            content: "... and the one that restored it with lots/serials",
            trigger: ".o_list_view .o_data_row:contains('stock restored with lots/serials')",
            isCheck: true,
        },
    ];
}

registry.category("web_tour.tours").add("stock_lot_reassign_serial_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps("5.00"),
        {
            content: "Choose serial numbers",
            trigger: `.o_field_widget[name=tracking] input[data-value=serial]`,
        },
        {
            content: "Next: assign",
            trigger: `.modal-footer button[name=action_next]`,
        },
        {
            content: "Type the first serial number",
            trigger: `.o_field_widget[name=next_serial] input`,
            run: "text TSN-0001",
        },
        {
            content: "Generate one serial number per unit",
            trigger: `button[name=action_generate]`,
        },
        {
            content: "The last serial number is there",
            trigger: `.o_field_widget[name=assignment_ids] .o_data_cell:contains('TSN-0005')`,
            isCheck: true,
        },
        ...applySteps(),
    ],
});

registry.category("web_tour.tours").add("stock_lot_reassign_lot_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps("11.00"),
        {
            content: "Keep lots: next",
            trigger: `.modal-footer button[name=action_next]`,
        },
        {
            content: "Paste one lot per location",
            trigger: `.o_field_widget[name=lot_names] textarea`,
            run(actions) {
                // "text ..." stops at the first line: type both lines
                actions.text("TLOT-A\nTLOT-B");
            },
        },
        {
            content: "Add them",
            trigger: `button[name=action_paste]`,
        },
        {
            content: "The second lot is assigned",
            trigger: `.o_field_widget[name=assignment_ids] .o_data_cell:contains('TLOT-B')`,
            isCheck: true,
        },
        ...applySteps(),
    ],
});
