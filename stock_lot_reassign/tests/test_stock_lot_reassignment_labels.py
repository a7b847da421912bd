# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import subprocess

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestStockLotReassignmentLabels(TransactionCase):
    """Print Labels: Odoo's label wizard on the restored lines, rendered to a
    real PDF by wkhtmltopdf (the test command installs it), read back."""

    def test_labels_pdf_names_every_new_serial(self):
        env = self.env(user=self.env.ref("base.user_admin"))
        # The test's own server cannot answer wkhtmltopdf while this test
        # waits for it: wkhtmltopdf renders the labels without the report's
        # style sheets, from an address that refuses at once.
        for param in ("report.url", "web.base.url"):
            env["ir.config_parameter"].sudo().set_param(param, "http://127.0.0.1:9")
        product = env["product.product"].create(
            {"name": "Label Chair", "type": "product"}
        )
        stock = env.ref("stock.warehouse0").lot_stock_id
        env["stock.quant"]._update_available_quantity(product, stock, 3)
        names = ["LBL0001", "LBL0002", "LBL0003"]
        lot_ids = product.product_tmpl_id.reassign_lots(
            "serial",
            [
                {
                    "product_id": product.id,
                    "location_id": stock.id,
                    "lot_name": name,
                    "quantity": 1,
                }
                for name in names
            ],
        )
        reassignment = env["stock.lot.reassignment"].search(
            [("lot_created_ids", "in", lot_ids)]
        )

        action = reassignment.action_print_labels()

        wizard = env["lot.label.layout"].browse(action["res_id"])
        self.assertEqual(len(wizard.move_line_ids), 3)
        wizard.write({"label_quantity": "lots", "print_format": "4x12"})
        report_action = wizard.process()
        Report = env["ir.actions.report"].with_context(force_report_rendering=True)
        report = Report._get_report_from_name(report_action["report_name"])
        lot_ids = report_action["context"]["active_ids"]
        self.assertEqual(sorted(env["stock.lot"].browse(lot_ids).mapped("name")), names)
        pdf, kind = Report._render_qweb_pdf(report, lot_ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        for name in names:
            self.assertIn(name, text)
