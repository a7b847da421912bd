/** @odoo-module **/
/* Copyright 2026 Stock Lot Reassign Contributors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl). */
import {registry} from "@web/core/registry";

/*
 * Browser tours of the reassignment wizard, started by
 * tests/test_stock_lot_reassign_tour.py on the form of a product it creates:
 *   /web#id=<template id>&model=product.template&view_type=form
 * That address holds a database id, so the tours have no `url` option: the
 * tour service would redirect to a static `url` that differs from the start
 * address and the tour would run on the wrong page.
 *
 * Triggers are searched inside the last open dialog when there is one, so
 * they must not start with ".modal" (it would be looked for inside the
 * dialog). Each button of the wizard replaces its dialog with a new one:
 * every step after a click waits for something only the new dialog shows.
 */

const REASSIGNMENT = "Lot/Serial Reassignment: ";
const REMOVED = "(stock without lot/serial removed)";
const RESTORED = "(stock restored with lots/serials)";

/** Fail the tour (the test reads the error in the browser console). */
function check(condition, message) {
    if (!condition) {
        throw new Error(`stock_lot_reassign tour: ${message}`);
    }
}

function texts($elements) {
    return $elements.toArray().map((el) => el.textContent.trim());
}

function sameList(actual, expected) {
    return JSON.stringify(actual) === JSON.stringify(expected);
}

/** Wizard field outside the lists (the lists have columns of the same name). */
function wizardField(name) {
    return `.o_inner_group .o_field_widget[name=${name}]`;
}

/**
 * Input of a field in the assignment row being edited; the row number (from 1)
 * keeps a step from typing in the previous row while the list switches rows.
 */
function assignmentInput(rowNumber, fieldName) {
    return `.o_field_widget[name=assignment_ids] tr.o_data_row:nth-child(${rowNumber}).o_selected_row .o_field_widget[name=${fieldName}] input`;
}

/**
 * [location, lot, quantity] of each assignment row; the location is read from
 * the label of the stock line, whatever its format.
 */
function assignmentRows($anchor) {
    const $rows = $anchor.closest(".o_field_widget[name=assignment_ids]").find(".o_data_row");
    return $rows.toArray().map((row) => {
        const line = row.querySelector(".o_data_cell[name=line_id]").textContent;
        return [
            line.includes("WH/Stock/Tour Shelf") ? "shelf" : line.includes("WH/Stock") ? "stock" : line,
            row.querySelector(".o_data_cell[name=lot_name]").textContent.trim(),
            row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
        ];
    });
}

function assignmentRow(lotName) {
    return `.o_field_widget[name=assignment_ids] .o_data_row:has(.o_data_cell[name=lot_name]:contains('${lotName}'))`;
}

/**
 * Have the Python test take a screenshot named `name` once `trigger` shows,
 * and wait until it is taken: the body asks for it in data-slr-screenshot,
 * which the test reads through a DevTools connection of its own; the test
 * answers in data-slr-screenshot-done once the PNG is saved.
 */
function screenshotSteps(name, trigger, inModal = true) {
    return [
        {
            content: `Screenshot ${name}`,
            trigger,
            in_modal: inModal,
            run() {
                document.body.dataset.slrScreenshot = name;
            },
        },
        {
            content: `Screenshot ${name} taken`,
            trigger: `body[data-slr-screenshot-done='${name}']`,
            in_modal: false,
            isCheck: true,
        },
    ];
}

/**
 * On some screen widths the form moves the last stat buttons under "More":
 * open it unless the wizard's button is already visible.
 */
function showStatButtonStep() {
    return {
        content: "Show the stat buttons hidden under More",
        trigger: ".o-form-buttonbox .o_button_more",
        skip_trigger: ".o-form-buttonbox .oe_stat_button[name=action_open_lot_reassignment_wizard]",
        run: "click",
    };
}

/**
 * Product form -> wizard, review step.
 *
 * @param {String} quantity: stock without lot/serial shown on the button
 * @param {Array} lines: [location, On Hand] of each review line, in order
 * @param {Array} beforeOpen: steps to run on the product form before opening
 */
function openWizardSteps(quantity, lines, beforeOpen = []) {
    return [
        showStatButtonStep(),
        {
            content: "The button shows how much stock has no lot/serial number",
            trigger: `.oe_stat_button[name=action_open_lot_reassignment_wizard] .o_stat_value:contains('${quantity}')`,
            isCheck: true,
        },
        ...beforeOpen,
        {
            content: "Open the wizard",
            trigger: ".oe_stat_button[name=action_open_lot_reassignment_wizard]:contains('Assign Lots/Serials')",
            run: "click",
        },
        {
            content: "Review: one line per location holding stock without lot/serial",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:eq(${lines.length - 1})`,
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=location_id]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
                ]);
                check(
                    sameList(found, lines),
                    `review lines ${JSON.stringify(found)}, expected ${JSON.stringify(lines)}`
                );
            },
        },
        {
            content: "Review: each line has its History button",
            trigger: `.o_field_widget[name=line_ids] .o_data_row:eq(${lines.length - 1}) button[name=action_history]`,
            isCheck: true,
        },
    ];
}

/**
 * Apply -> confirm -> the record of the reassignment, done.
 */
function applyAndOpenRecordSteps() {
    return [
        {
            content: "Apply",
            trigger: ".modal-footer button[name=action_apply]:contains('Apply')",
            run: "click",
        },
        {
            content: "Confirm the adjustments",
            trigger: ".modal-footer button.btn-primary:contains('Ok')",
            run: "click",
        },
        {
            content: "The record of the reassignment opens, done",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains('LSR/')",
            in_modal: false,
            run() {
                const reference = this.$anchor.text().trim();
                check(/^LSR\/\d{5}$/.test(reference), `reference ${reference}, expected LSR/00000`);
                const current = document.querySelector(".o_statusbar_status .o_arrow_button_current");
                check(current && current.dataset.value === "done", "the reassignment is not done");
            },
        },
    ];
}

/**
 * Everything assigned -> Apply -> confirm -> Odoo's History.
 *
 * @param {String} product: display name of the product
 * @param {String} total: quantity to assign, as displayed
 * @param {Number} removed: History lines of the first adjustment
 * @param {Number} restored: History lines of the second adjustment
 * @param {Array} recordSteps: steps to run on the reassignment's record
 */
function applySteps(product, total, removed, restored, recordSteps = []) {
    return [
        {
            content: "Everything is assigned, nothing is left",
            trigger: `${wizardField("quantity_remaining")}.text-success`,
            run() {
                const $form = this.$anchor.closest(".o_form_view");
                const found = ["quantity_total", "quantity_assigned", "quantity_remaining"].map(
                    (name) => $form.find(wizardField(name)).text().trim()
                );
                check(
                    sameList(found, [total, total, "0.00"]),
                    `to assign/assigned/unassigned are ${found}, expected ${total}/${total}/0.00`
                );
            },
        },
        ...applyAndOpenRecordSteps(),
        ...recordSteps,
        {
            content: "Open its History",
            trigger: ".o_form_view .oe_stat_button[name=action_open_history]",
            in_modal: false,
            run: "click",
        },
        {
            content: "The History lists the adjustment that removed the stock without lot/serial",
            trigger: `.o_list_view .o_data_row .o_data_cell[name=reference]:contains('${REASSIGNMENT}${product} ${REMOVED}')`,
            in_modal: false,
            isCheck: true,
        },
        {
            content: "... and the one that restored it with lots/serials, and nothing else",
            trigger: `.o_list_view .o_data_row:eq(${removed + restored - 1}) .o_data_cell[name=reference]:contains('${REASSIGNMENT}${product}')`,
            in_modal: false,
            run() {
                check(!document.querySelector(".modal"), "a dialog is still open over the History");
                const refs = texts(this.$anchor.closest(".o_list_view").find(".o_data_row .o_data_cell[name=reference]"));
                const count = (suffix) => refs.filter((ref) => ref === `${REASSIGNMENT}${product} ${suffix}`).length;
                check(
                    refs.length === removed + restored &&
                        count(REMOVED) === removed &&
                        count(RESTORED) === restored,
                    `History references ${JSON.stringify(refs)}, expected ${removed} removed and ${restored} restored`
                );
            },
        },
    ];
}

/**
 * Review -> the option to unreserve and reserve again ticked (with the
 * screenshot `name` of the transfers it lists) -> Assign, one lot per product.
 */
function reserveAgainOneLotPerProductSteps(name) {
    return [
        {
            content: "Unreserve these transfers and reserve them again",
            trigger: ".o_field_widget[name=unreserve] input",
            run: "click",
        },
        {
            content: "Show the transfers and the option ticked",
            trigger: ".o_field_widget[name=unreserve] input:checked",
            run() {
                this.$anchor.closest("div[name=transfers]")[0].scrollIntoView({block: "end"});
            },
        },
        ...screenshotSteps(name, ".o_field_widget[name=unreserve] input:checked"),
        {
            content: "Next: assign",
            trigger: ".modal-footer button[name=action_next]:contains('Next')",
            run: "click",
        },
        {
            content: "One lot per product",
            trigger: "button[name=action_generate_per_product]:contains('One Lot per Product')",
            run: "click",
        },
    ];
}

/** The Transfers tab of the reassignment's record. */
function openTransfersTabStep() {
    return {
        content: "Its Transfers tab",
        trigger: ".o_form_view .o_notebook .nav-link:contains('Transfers')",
        in_modal: false,
        run: "click",
    };
}

registry.category("web_tour.tours").add("stock_lot_reassign_serial_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps(
            "5.00",
            [
                ["WH/Stock", "3.00"],
                ["WH/Stock/Tour Shelf", "2.00"],
            ],
            screenshotSteps("1_product", ".oe_stat_button[name=action_open_lot_reassignment_wizard]", false)
        ),
        {
            content: "Choose serial numbers",
            trigger: ".o_field_widget[name=tracking] input[data-value=serial]",
            run: "click",
        },
        ...screenshotSteps("2_review", ".o_field_widget[name=tracking] input[data-value=serial]:checked"),
        {
            content: "Next: assign",
            trigger: ".modal-footer button[name=action_next]:contains('Next')",
            run: "click",
        },
        {
            content: "Assign step: one serial number per unit by default",
            trigger: ".o_field_widget[name=serial_count] input",
            run() {
                check(this.$anchor.val() === "5", `Number of Serial Numbers is ${this.$anchor.val()}, expected 5`);
            },
        },
        {
            content: "Type the first serial number",
            trigger: ".o_field_widget[name=first_lot_name] input",
            run: "text TSN-0001",
        },
        {
            content: "Generate",
            trigger: "button[name=action_generate]:contains('Generate')",
            run: "click",
        },
        {
            content: "Five serial numbers, three in WH/Stock and two on the shelf",
            trigger: assignmentRow("TSN-0005"),
            run() {
                const found = assignmentRows(this.$anchor);
                const expected = [
                    ["stock", "TSN-0001", "1.00"],
                    ["stock", "TSN-0002", "1.00"],
                    ["stock", "TSN-0003", "1.00"],
                    ["shelf", "TSN-0004", "1.00"],
                    ["shelf", "TSN-0005", "1.00"],
                ];
                check(
                    sameList(found, expected),
                    `assignments ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`
                );
            },
        },
        ...screenshotSteps("3_assign", assignmentRow("TSN-0005")),
        ...applySteps("[SLR-TOUR-CHAIR] Tour Chair", "5.00", 2, 5, [
            ...screenshotSteps("5_record", ".o_form_view .oe_title .o_field_widget[name=name]", false),
            {
                content: "Print Labels is offered on the done record",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_labels]",
                in_modal: false,
                isCheck: true,
            },
        ]),
        ...screenshotSteps("4_history", ".o_list_view .o_data_row:eq(6)", false),
        {
            content: "Each History line leads back to the reassignment",
            trigger: ".o_list_view .o_data_row:eq(0) button[name=action_open_lot_reassignment]",
            in_modal: false,
            run: "click",
        },
        {
            content: "... its record",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains('LSR/')",
            in_modal: false,
            isCheck: true,
        },
    ],
});

registry.category("web_tour.tours").add("stock_lot_reassign_lot_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps("11.00", [
            ["WH/Stock", "7.00"],
            ["WH/Stock/Tour Shelf", "4.00"],
        ]),
        {
            content: "Lots is the default tracking",
            trigger: ".o_field_widget[name=tracking] input[data-value=lot]:checked",
            isCheck: true,
        },
        {
            content: "Keep lots: next",
            trigger: ".modal-footer button[name=action_next]:contains('Next')",
            run: "click",
        },
        {
            content: "Paste one lot per line (the second one with a typo)",
            trigger: ".o_field_widget[name=lot_names] textarea",
            run(actions) {
                // run: "text ..." cannot hold a line break
                actions.text("TLOT-A\nTLOT-X");
            },
        },
        {
            content: "Add the pasted numbers",
            trigger: "button[name=action_paste]:contains('Add Pasted Numbers')",
            run: "click",
        },
        {
            content: "The second lot takes the shelf",
            trigger: `${assignmentRow("TLOT-X")} .o_data_cell[name=line_id]:contains('WH/Stock/Tour Shelf')`,
            isCheck: true,
        },
        {
            content: "The pasted text is cleared",
            trigger: ".o_field_widget[name=lot_names] textarea",
            run() {
                check(this.$anchor.val() === "", `the paste box still holds ${this.$anchor.val()}`);
            },
        },
        {
            content: "Fix the typo in the list: edit the lot name of the second row",
            trigger: `${assignmentRow("TLOT-X")} .o_data_cell[name=lot_name]`,
            run: "click",
        },
        {
            content: "Type the right lot name",
            trigger: assignmentInput(2, "lot_name"),
            run: "text TLOT-B",
        },
        {
            content: "Split WH/Stock: the first row, TLOT-A, keeps 5 units",
            trigger: `${assignmentRow("TLOT-A")} .o_data_cell[name=quantity]`,
            run: "click",
        },
        {
            content: "Type 5",
            trigger: assignmentInput(1, "quantity"),
            run: "text 5",
        },
        {
            content: "2 units left",
            trigger: `${wizardField("quantity_remaining")}.text-danger:contains('2.00')`,
            isCheck: true,
        },
        {
            content: "Add a line for them",
            trigger: ".o_field_widget[name=assignment_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Open the choice of stock lines",
            trigger: assignmentInput(3, "line_id"),
            run: "click",
        },
        {
            content: "Choose the WH/Stock line",
            trigger: ".o-autocomplete--dropdown-item a:contains('WH/Stock'):not(:contains('Tour Shelf'))",
            run: "click",
        },
        {
            content: "Name the new lot",
            trigger: assignmentInput(3, "lot_name"),
            run: "text TLOT-C",
        },
        {
            content: "Give it the 2 units",
            trigger: assignmentInput(3, "quantity"),
            run: "text 2",
        },
        {
            content: "Leave the row",
            trigger: wizardField("quantity_total"),
            run: "click",
        },
        {
            content: "Three lots, WH/Stock split in two",
            trigger: `${assignmentRow("TLOT-C")} .o_data_cell[name=quantity]:contains('2.00')`,
            run() {
                const found = assignmentRows(this.$anchor);
                const expected = [
                    ["stock", "TLOT-A", "5.00"],
                    ["shelf", "TLOT-B", "4.00"],
                    ["stock", "TLOT-C", "2.00"],
                ];
                check(
                    sameList(found, expected),
                    `assignments ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`
                );
            },
        },
        ...applySteps("[SLR-TOUR-CABLE] Tour Cable", "11.00", 2, 3),
    ],
});

const SHEET = [
    "Internal Reference;Location;Lot/Serial Number",
    "SLR-TOUR-LAMP;WH/Stock;TLAMP-1",
    "SLR-TOUR-LAMP;WH/Stock;TLAMP-2",
    "SLR-TOUR-LAMP;WH/Stock/Tour Shelf;TLAMP-3",
].join("\n");

registry.category("web_tour.tours").add("stock_lot_reassign_sheet_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps("3.00", [
            ["WH/Stock", "2.00"],
            ["WH/Stock/Tour Shelf", "1.00"],
        ]),
        {
            content: "Choose serial numbers",
            trigger: ".o_field_widget[name=tracking] input[data-value=serial]",
            run: "click",
        },
        {
            content: "Next",
            trigger: ".modal-footer button[name=action_next]:contains('Next')",
            run: "click",
        },
        {
            content: "Upload the filled count sheet in the Assign step",
            trigger: ".o_field_widget[name=import_file] .o_select_file_button",
            run() {
                const input = this.$anchor.closest(".o_field_widget").find("input[type=file]")[0];
                check(input, "no file input in the Import field");
                const transfer = new DataTransfer();
                transfer.items.add(new File([SHEET], "count_sheet.csv", {type: "text/csv"}));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The sheet is uploaded",
            trigger: ".o_field_widget[name=import_file] .o_clear_file_button",
            isCheck: true,
        },
        {
            content: "Import: read and check every row",
            trigger: "button[name=action_import_preview]:contains('Import')",
            run: "click",
        },
        {
            content: "The preview lists the 3 rows, all valid",
            trigger: ".o_field_widget[name=import_row_ids] .o_data_row:eq(2)",
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const lots = texts($rows.find(".o_data_cell[name=lot_name]"));
                check(
                    sameList(lots, ["TLAMP-1", "TLAMP-2", "TLAMP-3"]),
                    `preview rows ${JSON.stringify(lots)}`
                );
                check(document.querySelector(".modal .alert-success"), "the rows are not all valid");
                this.$anchor.closest(".o_field_widget")[0].scrollIntoView({block: "center"});
            },
        },
        ...screenshotSteps("6_import", ".o_field_widget[name=import_row_ids] .o_data_row:eq(2)"),
        {
            content: "Assign the imported rows",
            trigger: "button[name=action_import_apply]:contains('Assign Imported Rows')",
            run: "click",
        },
        {
            content: "The rows are the assignments now",
            trigger: assignmentRow("TLAMP-3"),
            run() {
                const found = assignmentRows(this.$anchor);
                check(
                    sameList(found, [
                        ["stock", "TLAMP-1", "1.00"],
                        ["stock", "TLAMP-2", "1.00"],
                        ["shelf", "TLAMP-3", "1.00"],
                    ]),
                    `assignments ${JSON.stringify(found)}`
                );
            },
        },
        ...applySteps("[SLR-TOUR-LAMP] Tour Lamp", "3.00", 2, 3),
    ],
});

registry.category("web_tour.tours").add("stock_lot_reassign_reserved_tour", {
    test: true,
    steps: () => [
        {
            content: "The list opens filtered on the tracked products with stock without lot/serial",
            trigger: ".o_searchview_facet:contains('Tracked, with stock without lot/serial')",
            in_modal: false,
            isCheck: true,
        },
        {
            content: "It lists the two of them, and nothing else",
            trigger: ".o_list_view .o_data_row:eq(1)",
            in_modal: false,
            run() {
                const names = texts(this.$anchor.closest(".o_list_view").find(".o_data_row .o_data_cell[name=name]"));
                check(
                    sameList(names.sort(), ["Tour Drum", "Tour Reel"]),
                    `the filter lists ${JSON.stringify(names)}`
                );
            },
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            in_modal: false,
            run: "click",
        },
        {
            content: "Open the Action menu",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            in_modal: false,
            run: "click",
        },
        {
            content: "Assign Lots/Serials",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Assign Lots/Serials')",
            in_modal: false,
            run: "click",
        },
        {
            content: "Review: the two deliveries reserving this stock are listed",
            trigger: ".o_field_widget[name=transfer_ids] .o_data_row:eq(1)",
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=product_id]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
                ]);
                check(
                    sameList(found.sort(), [
                        ["[SLR-TOUR-DRUM] Tour Drum", "3.00"],
                        ["[SLR-TOUR-REEL] Tour Reel", "5.00"],
                    ]),
                    `transfers ${JSON.stringify(found)}`
                );
            },
        },
        ...reserveAgainOneLotPerProductSteps("7_reserved"),
        {
            content: "Each product's stock goes to its own lot",
            trigger: assignmentRow("LOT-SLR-TOUR-REEL"),
            isCheck: true,
        },
        ...applyAndOpenRecordSteps(),
        {
            content: "... with every transfer reserved in full again",
            trigger: ".o_form_view .oe_title .o_field_widget[name=name]:contains('LSR/')",
            in_modal: false,
            run() {
                check(!document.querySelector(".o_form_view .alert-warning .o_field_widget[name=reservation_warning]:not(:empty)"),
                    "the record says a transfer is not reserved in full");
            },
        },
        openTransfersTabStep(),
        {
            content: "... lists both deliveries, reserved again in full on the new lots",
            trigger: ".o_field_widget[name=transfer_ids] .o_data_row:eq(1)",
            in_modal: false,
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=quantity_before]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity_after]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=lot_names]").textContent.trim(),
                ]);
                check(
                    sameList(found.sort(), [
                        ["3.00", "3.00", "LOT-SLR-TOUR-DRUM"],
                        ["5.00", "5.00", "LOT-SLR-TOUR-REEL"],
                    ]),
                    `record transfers ${JSON.stringify(found)}`
                );
            },
        },
    ],
});

/*
 * A product whose ship waits in WH/Output (its pick is done, without lot):
 * the Review step lists the ship as a next step; the option reserves it
 * again, on the new lot, where the pick left the stock.
 */
registry.category("web_tour.tours").add("stock_lot_reassign_route_tour", {
    test: true,
    steps: () => [
        ...openWizardSteps("4.00", [["WH/Output", "4.00"]]),
        {
            content: "Review: the ship waiting in WH/Output is listed, as a next step",
            trigger: ".o_field_widget[name=transfer_ids] .o_data_row",
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=reference]").textContent.trim().replace(/\d+$/, ""),
                    row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=is_chained] input").checked,
                ]);
                check(
                    sameList(found, [["WH/OUT/", "4.00", true]]),
                    `transfers ${JSON.stringify(found)}`
                );
            },
        },
        ...reserveAgainOneLotPerProductSteps("8_route"),
        {
            content: "The stock in WH/Output goes to one lot",
            trigger: assignmentRow("LOT-SLR-TOUR-ROUTE"),
            isCheck: true,
        },
        ...applyAndOpenRecordSteps(),
        openTransfersTabStep(),
        {
            content: "... lists the ship, reserved in full on the new lot, as a next step",
            trigger: ".o_field_widget[name=transfer_ids] .o_data_row",
            in_modal: false,
            run() {
                const row = this.$anchor[0];
                const found = [
                    row.querySelector(".o_data_cell[name=quantity_before]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity_after]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=lot_names]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=is_chained] input").checked,
                ];
                check(
                    sameList(found, ["4.00", "4.00", "LOT-SLR-TOUR-ROUTE", true]),
                    `record transfer ${JSON.stringify(found)}`
                );
            },
        },
    ],
});

/*
 * A product tracked by lots (L1: 3 units in WH/Stock, L2: 2 on the shelf),
 * opened from its lot L1: switched to serial numbers, both lots must
 * change; Split each lot into serials names the serials after their lot;
 * Apply; the record lists each place's lot before and its serials after.
 */
registry.category("web_tour.tours").add("stock_lot_reassign_split_tour", {
    test: true,
    steps: () => [
        showStatButtonStep(),
        {
            content: "The lot form opens the wizard",
            trigger: ".oe_stat_button[name=action_open_lot_reassignment_wizard]:contains('Reassign Lots/Serials')",
            run: "click",
        },
        {
            content: "Review: every place with its lot, L1 ticked (opened from it)",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1)",
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=location_id]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=lot_label]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=to_reassign] input").checked,
                ]);
                check(
                    sameList(found, [
                        ["WH/Stock", "L1", "3.00", true],
                        ["WH/Stock/Tour Shelf", "L2", "2.00", false],
                    ]),
                    `review lines ${JSON.stringify(found)}`
                );
            },
        },
        {
            content: "Choose serial numbers",
            trigger: ".o_field_widget[name=tracking] input[data-value=serial]",
            run: "click",
        },
        {
            content: "Both lots must change now: a serial number is a single unit",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1) .o_data_cell[name=to_reassign] input:checked",
            isCheck: true,
        },
        {
            content: "Next: assign",
            trigger: ".modal-footer button[name=action_next]:contains('Next')",
            run: "click",
        },
        {
            content: "Split each lot into serials",
            trigger: "button[name=action_split_lots]:contains('Split Each Lot into Serials')",
            run: "click",
        },
        {
            content: "Five serial numbers named after their lot",
            trigger: assignmentRow("L2-002"),
            run() {
                const $rows = this.$anchor.closest(".o_field_widget[name=assignment_ids]").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=from_lot_id]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=lot_name]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity]").textContent.trim(),
                ]);
                const expected = [
                    ["L1", "L1-001", "1.00"],
                    ["L1", "L1-002", "1.00"],
                    ["L1", "L1-003", "1.00"],
                    ["L2", "L2-001", "1.00"],
                    ["L2", "L2-002", "1.00"],
                ];
                check(sameList(found, expected), `assignments ${JSON.stringify(found)}`);
            },
        },
        {
            content: "Scroll to the serial numbers, for the screenshot",
            trigger: assignmentRow("L2-002"),
            run() {
                this.$anchor[0].scrollIntoView({ block: "end" });
            },
        },
        ...screenshotSteps("9_split", assignmentRow("L2-002")),
        ...applyAndOpenRecordSteps(),
        {
            content: "The record: each place's lot before, and its serial numbers after",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:eq(1)",
            in_modal: false,
            run() {
                const $rows = this.$anchor.closest(".o_field_widget").find(".o_data_row");
                const found = $rows.toArray().map((row) => [
                    row.querySelector(".o_data_cell[name=lot_before_id]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=quantity_restored]").textContent.trim(),
                    row.querySelector(".o_data_cell[name=lot_names]").textContent.trim(),
                ]);
                check(
                    sameList(found, [
                        ["L1", "3.00", "L1-001, L1-002, L1-003"],
                        ["L2", "2.00", "L2-001, L2-002"],
                    ]),
                    `record lines ${JSON.stringify(found)}`
                );
            },
        },
    ],
});
