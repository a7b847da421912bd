# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's ordinary stock operations, each of 60 lines or more, and what they
leave behind, on one database.

Run by tests/differential/test_differential.py on two copies of one database,
one without the addon and one with it: ``python operations.py --config C
--database D`` prints, as JSON, each operation's end state (every quant of its
products, every move line, every valuation layer, the journal items per
account). Each operation runs in its own transaction at a frozen time, rolled
back at its end, so both databases see the same data and the same dates.
``--prepare`` loads the chart of accounts once and commits (before the copy).
"""
# pylint: disable=print-used
# (a command-line tool: printing its JSON is its job)

import argparse
import datetime
import json
import sys
import traceback

FROZEN_NOW = datetime.datetime(2026, 3, 2, 9, 30)
LINES = 60


class Operations:
    """One method per operation: arrange its products, then run it as a user
    does (confirm, check availability, validate)."""

    def __init__(self, env, tag):
        self.env = env
        self.tag = tag
        self.company = env.company
        self.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.stock = self.warehouse.lot_stock_id
        self.supplier = env.ref("stock.stock_location_suppliers")
        self.customer = env.ref("stock.stock_location_customers")
        self.vendor = env["res.partner"].create({"name": f"{tag} Vendor"})
        self.owner = env["res.partner"].create({"name": f"{tag} Owner"})
        self.category = env["product.category"].create(
            {
                "name": f"{tag} real time",
                "property_valuation": "real_time",
                "property_cost_method": "average",
            }
        )
        self.fifo = env["product.category"].create(
            {
                "name": f"{tag} real time FIFO",
                "property_valuation": "real_time",
                "property_cost_method": "fifo",
            }
        )

    # ------------------------------------------------------------------
    # Arrangement
    # ------------------------------------------------------------------

    def products(self, count, name="P", **vals):
        return self.env["product.product"].create(
            [
                {
                    "name": f"{self.tag} {name}{i:03d}",
                    "default_code": f"{self.tag}-{name}{i:03d}",
                    "type": "product",
                    "categ_id": self.category.id,
                    "standard_price": 10.0 + i,
                }
                | vals
                for i in range(count)
            ]
        )

    def stock_in(self, product, quantity, location=None, **quant_vals):
        self.env["stock.quant"]._update_available_quantity(
            product, location or self.stock, quantity, **quant_vals
        )

    def picking(self, kind, lines, **vals):
        """A picking of type ``kind`` (in, out, int), one move per
        ``(product, quantity)``, confirmed."""
        picking_type = {
            "in": self.warehouse.in_type_id,
            "out": self.warehouse.out_type_id,
            "int": self.warehouse.int_type_id,
        }[kind]
        source = vals.pop("location_id", picking_type.default_location_src_id.id)
        dest = vals.pop("location_dest_id", picking_type.default_location_dest_id.id)
        if kind == "in":
            source = self.supplier.id
        if kind == "out":
            dest = self.customer.id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source,
                "location_dest_id": dest,
                "partner_id": self.vendor.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": source,
                            "location_dest_id": dest,
                            "price_unit": product.standard_price,
                        },
                    )
                    for product, quantity in lines
                ],
            }
            | vals
        )
        picking.action_confirm()
        return picking

    def validate(self, pickings, backorder=True):
        """Validate as the button does, answering its backorder question."""
        result = pickings.button_validate()
        if isinstance(result, dict) and result.get("res_model") == (
            "stock.backorder.confirmation"
        ):
            wizard = (
                self.env["stock.backorder.confirmation"]
                .with_context(**result["context"])
                .create({})
            )
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return pickings

    def purchase(self, lines, partner=None, **vals):
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.vendor).id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_qty": quantity,
                            "price_unit": 5.0 + index,
                        },
                    )
                    for index, (product, quantity) in enumerate(lines)
                ],
            }
            | vals
        )
        order.button_confirm()
        return order

    # ------------------------------------------------------------------
    # Operations
    # ------------------------------------------------------------------

    def receipt_with_lots(self):
        """A purchase received with lot numbers typed on its lines."""
        products = self.products(3, "L", tracking="lot")
        order = self.purchase([(product, 20) for product in products])
        picking = order.picking_ids
        for move in picking.move_ids:
            move.move_line_ids.unlink()
            move.move_line_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": move.product_id.id,
                        "lot_name": f"{move.product_id.default_code}-LOT{i:02d}",
                        "quantity": 1,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    },
                )
                for i in range(20)
            ]
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def receipt_with_serials(self):
        products = self.products(1, "S", tracking="serial")
        picking = self.picking("in", [(products, LINES)])
        picking.move_ids.move_line_ids.unlink()
        picking.move_ids.move_line_ids = [
            (
                0,
                0,
                {
                    "product_id": products.id,
                    "lot_name": f"{products.default_code}-SN{i:03d}",
                    "quantity": 1,
                    "location_id": self.supplier.id,
                    "location_dest_id": self.stock.id,
                },
            )
            for i in range(LINES)
        ]
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def receipt_with_packages_owner_and_dozens(self):
        """Bought by the dozen, received into packages, owned by a partner."""
        dozens = self.env.ref("uom.product_uom_dozen")
        products = self.products(LINES, "D", uom_po_id=dozens.id)
        order = self.purchase([(product, 2) for product in products])
        picking = order.picking_ids
        picking.owner_id = self.owner
        packages = self.env["stock.quant.package"].create(
            [{"name": f"{self.tag}-PACK{i}"} for i in range(3)]
        )
        for index, line in enumerate(picking.move_line_ids):
            line.write(
                {
                    "result_package_id": packages[index % 3].id,
                    "owner_id": self.owner.id,
                }
            )
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def partial_receipt_with_backorder(self):
        products = self.products(LINES, "B")
        picking = self.picking("in", [(product, 10) for product in products])
        for move in picking.move_ids:
            move.quantity = 4
        picking.move_ids.picked = True
        self.validate(picking, backorder=True)
        return products

    def delivery_from_several_quants(self):
        """Each product's stock split over two lots and a shelf: Odoo's
        removal strategy picks across quants."""
        products = self.products(LINES, "Q", tracking="lot")
        shelf = self.env["stock.location"].create(
            {"name": f"{self.tag} Shelf", "location_id": self.stock.id}
        )
        for product in products:
            lots = self.env["stock.lot"].create(
                [
                    {"name": f"{product.default_code}-{n}", "product_id": product.id}
                    for n in "AB"
                ]
            )
            self.stock_in(product, 2, lot_id=lots[0], in_date=FROZEN_NOW)
            self.stock_in(product, 3, location=shelf, lot_id=lots[1])
        picking = self.picking("out", [(product, 4) for product in products])
        picking.action_assign()
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def delivery_into_negative_stock(self):
        products = self.products(LINES, "N")
        for product in products:
            self.stock_in(product, 1)
        picking = self.picking("out", [(product, 3) for product in products])
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = 3
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def delivery_taking_other_reservations(self):
        """A first delivery reserves everything; a second one, its lines
        typed by hand, takes the same units: Odoo takes them back from the
        first."""
        products = self.products(LINES, "R")
        for product in products:
            self.stock_in(product, 5)
        first = self.picking("out", [(product, 5) for product in products])
        first.action_assign()
        second = self.picking("out", [(product, 3) for product in products])
        for move in second.move_ids:
            move.move_line_ids = [
                (
                    0,
                    0,
                    {
                        "product_id": move.product_id.id,
                        "quantity": 3,
                        "location_id": self.stock.id,
                        "location_dest_id": self.customer.id,
                    },
                )
            ]
        second.move_ids.picked = True
        self.validate(second)
        return products

    def inventory_adjustment(self):
        products = self.products(LINES, "I", categ_id=self.fifo.id)
        for index, product in enumerate(products):
            self.stock_in(product, 10)
            self.env["stock.quant"].with_context(inventory_mode=True).create(
                {
                    "product_id": product.id,
                    "location_id": self.stock.id,
                    "inventory_quantity": index % 7,
                }
            )
        quants = self.env["stock.quant"].search(
            [("product_id", "in", products.ids), ("inventory_quantity_set", "=", True)]
        )
        quants.action_apply_inventory()
        return products

    def dropship(self):
        dropship = self.env.ref("stock_dropshipping.route_drop_shipping")
        products = self.products(
            LINES,
            "X",
            route_ids=[(6, 0, dropship.ids)],
            seller_ids=[(0, 0, {"partner_id": self.vendor.id, "price": 7.0})],
        )
        customer = self.env["res.partner"].create({"name": f"{self.tag} Customer"})
        sale = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 2})
                    for product in products
                ],
            }
        )
        sale.action_confirm()
        purchase = self.env["purchase.order"].search(
            [("partner_id", "=", self.vendor.id), ("state", "=", "draft")]
        )
        purchase.button_confirm()
        picking = purchase.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self.validate(picking)
        return products

    def delivery_then_return(self):
        products = self.products(LINES, "T")
        for product in products:
            self.stock_in(product, 4)
        picking = self.picking("out", [(product, 4) for product in products])
        picking.action_assign()
        picking.move_ids.picked = True
        self.validate(picking)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_id=picking.id,
                active_ids=picking.ids,
                active_model="stock.picking",
            )
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = 3
        returned = self.env["stock.picking"].browse(wizard.create_returns()["res_id"])
        returned.action_assign()
        for move in returned.move_ids:
            move.quantity = 3
        returned.move_ids.picked = True
        self.validate(returned)
        return products

    def manufacturing_order(self):
        components = self.products(LINES, "C")
        finished = self.products(1, "F")
        for component in components:
            self.stock_in(component, 10)
        bom = self.env["mrp.bom"].create(
            {
                "product_tmpl_id": finished.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    (0, 0, {"product_id": component.id, "product_qty": 2})
                    for component in components
                ],
            }
        )
        production = self.env["mrp.production"].create(
            {"product_id": finished.id, "bom_id": bom.id, "product_qty": 3}
        )
        production.action_confirm()
        production.action_assign()
        production.qty_producing = 3
        production._set_qty_producing()
        production.move_raw_ids.picked = True
        production.button_mark_done()
        return components | finished

    def subcontracted_receipt(self):
        """Sixty products made by a subcontractor from components sent to
        them, received from one purchase."""
        subcontractor = self.env["res.partner"].create(
            {"name": f"{self.tag} Subcontractor"}
        )
        finished = self.products(LINES, "K")
        components = self.products(LINES, "M")
        self.env["mrp.bom"].create(
            [
                {
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "type": "subcontract",
                    "subcontractor_ids": [(6, 0, subcontractor.ids)],
                    "bom_line_ids": [
                        (0, 0, {"product_id": component.id, "product_qty": 1})
                    ],
                }
                for product, component in zip(finished, components, strict=True)
            ]
        )
        location = self.company.subcontracting_location_id
        for component in components:
            self.stock_in(component, 2, location=location)
        order = self.purchase([(product, 1) for product in finished], subcontractor)
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self.validate(picking)
        return finished | components


OPERATIONS = [
    name
    for name, member in vars(Operations).items()
    if callable(member) and not name.startswith("_")
    if name not in ("products", "stock_in", "picking", "validate", "purchase")
]


# ----------------------------------------------------------------------
# End state
# ----------------------------------------------------------------------


def _name(record):
    return record.display_name if record else ""


def end_state(env, products):
    """Everything the operation left on its products, without ids or
    creation dates (which differ between databases)."""
    env.flush_all()
    env.invalidate_all()
    quants = env["stock.quant"].search([("product_id", "in", products.ids)])
    lines = env["stock.move.line"].search([("product_id", "in", products.ids)])
    moves = env["stock.move"].search([("product_id", "in", products.ids)])
    state = {
        "quants": sorted(
            [
                q.product_id.default_code,
                q.location_id.complete_name,
                _name(q.lot_id),
                _name(q.package_id),
                _name(q.owner_id),
                q.quantity,
                q.reserved_quantity,
                str(q.in_date),
            ]
            for q in quants
        ),
        "move lines": sorted(
            [
                ml.reference or "",
                ml.product_id.default_code,
                _name(ml.lot_id),
                ml.location_id.complete_name,
                ml.location_dest_id.complete_name,
                _name(ml.package_id),
                _name(ml.result_package_id),
                _name(ml.owner_id),
                ml.quantity,
                ml.quantity_product_uom,
                ml.product_uom_id.name,
                ml.state,
                ml.picked,
            ]
            for ml in lines
        ),
        "moves": sorted(
            [
                m.reference or "",
                m.product_id.default_code,
                m.location_id.complete_name,
                m.location_dest_id.complete_name,
                m.product_uom_qty,
                m.quantity,
                m.state,
                m.picked,
            ]
            for m in moves
        ),
    }
    if "stock.valuation.layer" in env:
        layers = env["stock.valuation.layer"].search(
            [("product_id", "in", products.ids)]
        )
        state["valuation layers"] = sorted(
            [
                svl.product_id.default_code,
                svl.quantity,
                svl.value,
                svl.unit_cost,
                svl.remaining_qty,
                svl.remaining_value,
                svl.description or "",
                svl.stock_move_id.reference or "",
            ]
            for svl in layers
        )
        items = env["account.move.line"].read_group(
            [("product_id", "in", products.ids)],
            ["balance:sum", "quantity:sum"],
            ["account_id"],
        )
        state["journal items"] = sorted(
            [
                env["account.account"].browse(item["account_id"][0]).code,
                round(item["balance"], 2),
                item["quantity"],
            ]
            for item in items
        )
    return state


# ----------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------


def prepare(env):
    if not env.company.chart_template:
        env["account.chart.template"].try_loading(
            "generic_coa", env.company, install_demo=False
        )


def run(args):
    from freezegun import freeze_time

    import odoo
    from odoo import api
    from odoo.tools import config

    config.parse_config(["-c", args.config, "--log-level", "warn"])
    registry = odoo.registry(args.database)
    if args.prepare:
        with registry.cursor() as cr:
            prepare(api.Environment(cr, odoo.SUPERUSER_ID, {}))
        return {}
    results = {}
    for name in args.operations or OPERATIONS:
        with registry.cursor() as cr, freeze_time(FROZEN_NOW):
            admin = api.Environment(cr, odoo.SUPERUSER_ID, {}).ref("base.user_admin")
            env = api.Environment(cr, admin.id, {"tracking_disable": True})
            try:
                operations = Operations(env, f"DIFF{OPERATIONS.index(name):02d}")
                products = getattr(operations, name)()
                results[name] = {"state": end_state(env, products)}
            except Exception:  # noqa: BLE001 - reported, compared, failed by the test
                results[name] = {"error": traceback.format_exc()}
            cr.rollback()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("operations", nargs="*", help=", ".join(OPERATIONS))
    args = parser.parse_args()
    unknown = set(args.operations) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    json.dump(run(args), sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main()
