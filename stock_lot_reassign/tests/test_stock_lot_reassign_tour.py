# Copyright 2026 Stock Lot Reassign Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import itertools
import json
import logging
import os
import shutil
import struct
import tempfile
import threading
import time

import requests
import websocket

from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, tagged
from odoo.tests.common import HOST

_logger = logging.getLogger(__name__)

REFERENCE = "Lot/Serial Reassignment: %s (%s)"
REMOVED = "stock without lot/serial removed"
RESTORED = "stock restored with lots/serials"
SCREENSHOTS = (
    "1_product",
    "2_review",
    "3_assign",
    "4_history",
    "5_record",
)
# set by `bash setup/test.sh --screenshots`: the screenshots replace those of
# static/description; otherwise they go to a temporary folder, and the clone
# is left as it was
SCREENSHOTS_ENV = "STOCK_LOT_REASSIGN_SCREENSHOTS"
# The screenshots are taken at this viewport, set through DevTools before the
# tour's page loads. HttpCase.browser_size cannot give it: Odoo hands it to
# --window-size, which Chromium reads as "W,H" only (Odoo's own "1366x768"
# leaves the default 780x437 viewport), and even "1280,800" gives a headless
# viewport of 1280x657 (Chromium 150).
SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT = 1280, 800
# what the tour asks for (body[data-slr-screenshot]) and is not taken yet
REQUESTED = """(body => body && body.dataset.slrScreenshot
    && body.dataset.slrScreenshot !== body.dataset.slrScreenshotDone
    && body.dataset.slrScreenshot || "")(document.body)"""


class CdpError(Exception):
    """An error answered by the browser to one command"""


class TourScreenshots:
    """Take the screenshots a tour asks for, through a DevTools connection of
    its own to the tab of the browser Odoo started for the tour.

    The tour sets body[data-slr-screenshot] to a name and waits for
    body[data-slr-screenshot-done] to carry it; a thread polls the page for
    the request every ``POLL`` seconds, saves the PNG under ``path(name)`` and
    sets the done attribute. Chrome takes several DevTools clients on a tab:
    Odoo's own connection is neither used nor disturbed, and the viewport set
    here holds as long as this connection stays open.
    """

    POLL = 0.1
    TIMEOUT = 30

    def __init__(self, path):
        self.path = path
        self.taken = {}
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._ws = None
        self._thread = None

    def connect(self, devtools_port):
        """Open the connection, set the viewport, start polling."""
        targets = requests.get(
            f"http://{HOST}:{devtools_port}/json", timeout=self.TIMEOUT
        ).json()
        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        # Chrome refuses a DevTools connection that has an Origin header
        self._ws = websocket.create_connection(
            url, timeout=self.TIMEOUT, suppress_origin=True
        )
        self._call(
            "Emulation.setDeviceMetricsOverride",
            width=SCREENSHOT_WIDTH,
            height=SCREENSHOT_HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self._thread = threading.Thread(
            target=self._run, name="stock_lot_reassign screenshots", daemon=True
        )
        self._thread.start()

    def stop(self):
        """Stop polling and close the connection (the browser may be gone)."""
        self._stop.set()
        if self._thread:
            self._thread.join(self.TIMEOUT + 5)
            assert not self._thread.is_alive(), "the screenshot thread did not stop"
        if self._ws:
            self._ws.close()

    def _call(self, method, **params):
        """Send a command, return its result (no events are enabled here)."""
        request_id = next(self._ids)
        self._ws.send(
            json.dumps({"id": request_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self._ws.recv())
            if message.get("id") == request_id:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message["result"]

    def _evaluate(self, expression):
        result = self._call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise CdpError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def _run(self):
        while not self._stop.wait(self.POLL):
            try:
                name = self._evaluate(REQUESTED)
                if name:
                    self._take(name)
            except CdpError as error:
                # e.g. no page to evaluate in while the web client reloads:
                # the request is still there at the next poll
                _logger.info("screenshot poll: %s", error)
            except (websocket.WebSocketException, OSError) as error:
                # Odoo closes the browser at the end of the tour, before stop()
                _logger.info("screenshot connection ended: %s", error)
                return

    def _take(self, name):
        data = base64.b64decode(self._call("Page.captureScreenshot")["data"])
        with open(self.path(name), "wb") as png:
            png.write(data)
        self.taken[name] = len(data)
        self._evaluate(f"document.body.dataset.slrScreenshotDone = {json.dumps(name)}")


@tagged("post_install", "-at_install")
class TestStockLotReassignTour(HttpCase):
    """The whole user path, in a browser: product form, wizard, History.

    The tours are in static/tests/tours/stock_lot_reassign_tour.js; they know
    the names, codes and quantities created here. The serial tour also takes
    the screenshots of static/description (the Apps page and the README),
    saved there only when asked (``SCREENSHOTS_ENV``).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if os.environ.get(SCREENSHOTS_ENV) == "1":
            cls.screenshot_dir = os.path.join(
                get_module_path("stock_lot_reassign"), "static", "description"
            )
        else:
            cls.screenshot_dir = tempfile.mkdtemp(prefix="stock_lot_reassign-")
            cls.addClassCleanup(shutil.rmtree, cls.screenshot_dir, True)
        # Locations and lots shown in the UI, as in a database that needs this
        cls.env.ref("base.group_user").write(
            {
                "implied_ids": [
                    (4, cls.env.ref("stock.group_stock_multi_locations").id),
                    (4, cls.env.ref("stock.group_production_lot").id),
                ]
            }
        )
        cls.stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.shelf = cls.env["stock.location"].create(
            {"name": "Tour Shelf", "location_id": cls.stock.id}
        )
        cls.chair = cls._create_product("Tour Chair", "SLR-TOUR-CHAIR", 3, 2)
        cls.cable = cls._create_product("Tour Cable", "SLR-TOUR-CABLE", 7, 4)
        cls.lamp = cls._create_product("Tour Lamp", "SLR-TOUR-LAMP", 2, 1)

    @classmethod
    def _create_product(cls, name, code, stock_qty, shelf_qty):
        product = cls.env["product.product"].create(
            {"name": name, "default_code": code, "type": "product"}
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(product, cls.stock, stock_qty)
        Quant._update_available_quantity(product, cls.shelf, shelf_qty)
        return product

    def setUp(self):
        super().setUp()
        admin = self.env.ref("base.user_admin")
        self.assertTrue(admin.has_group("stock.group_stock_manager"))
        for product, expected in (
            (self.chair, [("WH/Stock", 3.0), ("WH/Stock/Tour Shelf", 2.0)]),
            (self.cable, [("WH/Stock", 7.0), ("WH/Stock/Tour Shelf", 4.0)]),
        ):
            self.assertEqual(
                self.env["product.product"].search_count(
                    [("default_code", "=", product.default_code)]
                ),
                1,
                "the tours find the product by its code: it must be unique",
            )
            self.assertEqual(product.tracking, "none")
            self.assertEqual(self._untracked_stock(product), expected)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _start(self, product, tour, url=None):
        template = product.product_tmpl_id
        url = url or f"/web#id={template.id}&model=product.template&view_type=form"
        self.start_tour(url, tour, login="admin")
        self.env.invalidate_all()

    def _screenshot_path(self, name):
        return os.path.join(self.screenshot_dir, f"screenshot_{name}.png")

    # the TourScreenshots of the tour being run, if it takes some
    _screenshots = None

    def authenticate(self, user, password, browser=None):
        """Hand the browser of the tour to its screenshots, if it has some.

        ``HttpCase.browser_js`` starts the browser and keeps it to itself
        (there is no ``self.browser``); authenticate() is the one public
        method it gives the browser to, before it opens the tour's page.
        """
        session = super().authenticate(user, password, browser=browser)
        if browser is not None and self._screenshots is not None:
            self._screenshots.connect(browser.devtools_port)
        return session

    def _start_with_screenshots(self, product, tour, names=SCREENSHOTS, url=None):
        """Run the tour; save a screenshot each time it asks for one."""
        screenshots = self._screenshots = TourScreenshots(self._screenshot_path)
        started = time.time()
        try:
            self._start(product, tour, url=url)
        finally:
            self._screenshots = None
            screenshots.stop()
        self.assertEqual(sorted(screenshots.taken), sorted(names))
        for name in names:
            path = self._screenshot_path(name)
            self.assertGreaterEqual(os.path.getmtime(path), started)
            with open(path, "rb") as png:
                header = png.read(24)
            self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n", name)
            size = struct.unpack(">II", header[16:24])
            self.assertEqual(size, (SCREENSHOT_WIDTH, SCREENSHOT_HEIGHT), name)

    def _internal_quants(self, product):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id.usage", "=", "internal"),
                ("quantity", "!=", 0),
            ]
        )

    def _untracked_stock(self, product):
        quants = self._internal_quants(product).filtered(lambda q: not q.lot_id)
        return sorted((q.location_id.display_name, q.quantity) for q in quants)

    def _stock(self, product):
        """(location, lot, quantity) of every internal quant, sorted"""
        return sorted(
            (q.location_id.display_name, q.lot_id.name or "", q.quantity)
            for q in self._internal_quants(product)
        )

    def _assert_quantities_kept(self, product, expected):
        """Each location holds its original quantity, all of it with lots."""
        by_location = {}
        for quant in self._internal_quants(product):
            self.assertTrue(quant.lot_id, f"{quant.location_id.display_name}: no lot")
            location = quant.location_id.display_name
            by_location[location] = by_location.get(location, 0.0) + quant.quantity
        self.assertEqual(by_location, expected)

    def _assert_history(self, product, removed, restored):
        """The two adjustments are done and named after the product."""
        move_lines = self.env["stock.move.line"].search(
            [("product_id", "=", product.id), ("state", "=", "done")]
        )
        by_reference = {}
        for ml in move_lines:
            by_reference.setdefault(ml.reference, []).append(
                (
                    ml.location_id.usage,
                    ml.location_dest_id.display_name,
                    ml.lot_id.name or "",
                    ml.quantity,
                )
                if ml.location_dest_id.usage == "internal"
                else (
                    ml.location_id.display_name,
                    ml.location_dest_id.usage,
                    ml.lot_id.name or "",
                    ml.quantity,
                )
            )
        self.assertEqual(
            {ref: sorted(lines) for ref, lines in by_reference.items()},
            {
                REFERENCE % (product.display_name, REMOVED): sorted(removed),
                REFERENCE % (product.display_name, RESTORED): sorted(restored),
            },
        )

    # ------------------------------------------------------------------
    # Tours
    # ------------------------------------------------------------------

    def test_count_sheet_uploaded_in_the_browser(self):
        """A filled count sheet (CSV) uploaded in the Assign step, previewed
        (the README's screenshot), assigned and applied."""
        self._start_with_screenshots(
            self.lamp, "stock_lot_reassign_sheet_tour", ("6_import",)
        )

        self.assertEqual(self.lamp.tracking, "serial")
        self.assertEqual(
            self._stock(self.lamp),
            [
                ("WH/Stock", "TLAMP-1", 1.0),
                ("WH/Stock", "TLAMP-2", 1.0),
                ("WH/Stock/Tour Shelf", "TLAMP-3", 1.0),
            ],
        )

    def test_serials_generated_in_the_browser(self):
        self._start_with_screenshots(self.chair, "stock_lot_reassign_serial_tour")

        self.assertEqual(self.chair.tracking, "serial")
        self.assertEqual(self._untracked_stock(self.chair), [])
        self._assert_quantities_kept(
            self.chair, {"WH/Stock": 3.0, "WH/Stock/Tour Shelf": 2.0}
        )
        self.assertEqual(
            self._stock(self.chair),
            [
                ("WH/Stock", "TSN-0001", 1.0),
                ("WH/Stock", "TSN-0002", 1.0),
                ("WH/Stock", "TSN-0003", 1.0),
                ("WH/Stock/Tour Shelf", "TSN-0004", 1.0),
                ("WH/Stock/Tour Shelf", "TSN-0005", 1.0),
            ],
        )
        lots = self.env["stock.lot"].search([("product_id", "=", self.chair.id)])
        self.assertEqual(
            sorted(lots.mapped("name")), [f"TSN-000{i}" for i in range(1, 6)]
        )
        self.assertTrue(all(lot.product_qty == 1 for lot in lots))
        self._assert_history(
            self.chair,
            removed=[("WH/Stock", "inventory", "", 3.0)]
            + [("WH/Stock/Tour Shelf", "inventory", "", 2.0)],
            restored=[("inventory", "WH/Stock", f"TSN-000{i}", 1.0) for i in (1, 2, 3)]
            + [
                ("inventory", "WH/Stock/Tour Shelf", f"TSN-000{i}", 1.0) for i in (4, 5)
            ],
        )
        # the other product is untouched
        self.assertEqual(self.cable.tracking, "none")
        self.assertEqual(
            self._untracked_stock(self.cable),
            [("WH/Stock", 7.0), ("WH/Stock/Tour Shelf", 4.0)],
        )

    def test_lots_pasted_and_edited_in_the_browser(self):
        self._start(self.cable, "stock_lot_reassign_lot_tour")

        self.assertEqual(self.cable.tracking, "lot")
        self.assertEqual(self._untracked_stock(self.cable), [])
        self._assert_quantities_kept(
            self.cable, {"WH/Stock": 7.0, "WH/Stock/Tour Shelf": 4.0}
        )
        self.assertEqual(
            self._stock(self.cable),
            [
                ("WH/Stock", "TLOT-A", 5.0),
                ("WH/Stock", "TLOT-C", 2.0),
                ("WH/Stock/Tour Shelf", "TLOT-B", 4.0),
            ],
        )
        lots = self.env["stock.lot"].search([("product_id", "=", self.cable.id)])
        self.assertEqual(sorted(lots.mapped("name")), ["TLOT-A", "TLOT-B", "TLOT-C"])
        self._assert_history(
            self.cable,
            removed=[
                ("WH/Stock", "inventory", "", 7.0),
                ("WH/Stock/Tour Shelf", "inventory", "", 4.0),
            ],
            restored=[
                ("inventory", "WH/Stock", "TLOT-A", 5.0),
                ("inventory", "WH/Stock", "TLOT-C", 2.0),
                ("inventory", "WH/Stock/Tour Shelf", "TLOT-B", 4.0),
            ],
        )
        self.assertEqual(self.chair.tracking, "none")
        self.assertEqual(
            self._untracked_stock(self.chair),
            [("WH/Stock", 3.0), ("WH/Stock/Tour Shelf", 2.0)],
        )

    def test_reserved_products_found_and_reassigned_from_the_list(self):
        """Two tracked products whose stock has no lot, reserved by two
        deliveries: found with the filter, selected, Action > Assign
        Lots/Serials, reassigned with the transfers unreserved and reserved
        again; the deliveries end reserved on the new lots."""
        # what the filter would list besides the tour's products (demo data)
        self.env["product.template"].search(
            [("tracking", "!=", "none"), ("lot_reassign_qty", ">", 0)]
        ).write({"active": False})
        drum, reel = self.env["product.product"].create(
            [
                {"name": name, "default_code": code, "type": "product"}
                for name, code in (
                    ("Tour Drum", "SLR-TOUR-DRUM"),
                    ("Tour Reel", "SLR-TOUR-REEL"),
                )
            ]
        )
        for product, quantity in ((drum, 4), (reel, 6)):
            self.env["stock.quant"]._update_available_quantity(
                product, self.stock, quantity
            )
        (drum | reel).write({"tracking": "lot"})
        customer = self.env.ref("stock.stock_location_customers")
        deliveries = self.env["stock.picking"]
        for product, quantity in ((drum, 3), (reel, 5)):
            deliveries |= self.env["stock.picking"].create(
                {
                    "picking_type_id": self.env.ref("stock.picking_type_out").id,
                    "partner_id": self.env.ref("base.res_partner_2").id,
                    "location_id": self.stock.id,
                    "location_dest_id": customer.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom": product.uom_id.id,
                                "product_uom_qty": quantity,
                                "location_id": self.stock.id,
                                "location_dest_id": customer.id,
                            },
                        )
                    ],
                }
            )
        deliveries.action_confirm()
        deliveries.action_assign()
        self.assertEqual(set(deliveries.mapped("state")), {"assigned"})
        action = self.env.ref(
            "stock_lot_reassign.product_template_lot_reassign_needed_action"
        )

        self._start_with_screenshots(
            drum,
            "stock_lot_reassign_reserved_tour",
            ("7_reserved",),
            url=f"/web#action={action.id}&view_type=list",
        )

        self.assertEqual(set(deliveries.mapped("state")), {"assigned"})
        self.assertEqual(
            sorted(
                (ml.product_id.name, ml.lot_id.name, ml.quantity)
                for ml in deliveries.move_line_ids
            ),
            [
                ("Tour Drum", "LOT-SLR-TOUR-DRUM", 3.0),
                ("Tour Reel", "LOT-SLR-TOUR-REEL", 5.0),
            ],
        )
        for product, quantity in ((drum, 4.0), (reel, 6.0)):
            self.assertEqual(self._untracked_stock(product), [])
            self._assert_quantities_kept(product, {"WH/Stock": quantity})

    def test_ship_waiting_in_output_reserved_again_in_the_browser(self):
        """A two-step delivery whose pick is done: the ship waits in WH/Output
        for stock without lot. The Review step lists it as a next step; with
        the option, it ends reserved on the new lot and ships."""
        warehouse = self.env.ref("stock.warehouse0")
        warehouse.delivery_steps = "pick_ship"
        route = self.env["product.product"].create(
            {"name": "Tour Route", "default_code": "SLR-TOUR-ROUTE", "type": "product"}
        )
        self.env["stock.quant"]._update_available_quantity(route, self.stock, 4)
        customer = self.env.ref("stock.stock_location_customers")
        group = self.env["procurement.group"].create({"name": "SLR-TOUR-SO"})
        self.env["procurement.group"].run(
            [
                self.env["procurement.group"].Procurement(
                    route,
                    4,
                    route.uom_id,
                    customer,
                    group.name,
                    group.name,
                    warehouse.company_id,
                    {"warehouse_id": warehouse, "group_id": group},
                )
            ]
        )
        moves = self.env["stock.move"].search([("group_id", "=", group.id)])
        pick = moves.filtered(lambda m: m.location_id == self.stock).picking_id
        ship = (moves - pick.move_ids).picking_id
        pick.action_assign()
        pick.move_ids.picked = True
        pick.button_validate()
        self.assertEqual((pick.state, ship.state), ("done", "assigned"))
        output = warehouse.wh_output_stock_loc_id

        self._start_with_screenshots(
            route, "stock_lot_reassign_route_tour", ("8_route",)
        )

        self.assertEqual(self._untracked_stock(route), [])
        self._assert_quantities_kept(route, {output.complete_name: 4.0})
        self.assertEqual(ship.state, "assigned")
        self.assertEqual(
            [
                (ml.location_id, ml.lot_id.name, ml.quantity)
                for ml in ship.move_line_ids
            ],
            [(output, "LOT-SLR-TOUR-ROUTE", 4.0)],
        )
        ship.move_ids.picked = True
        ship.button_validate()
        self.assertEqual(ship.state, "done")

    def test_lots_split_into_serials_in_the_browser(self):
        """From a lot's form: serial numbers chosen, each lot split into
        serials named after it, applied; the record lists lots before and
        after."""
        spool = self.env["product.product"].create(
            {
                "name": "Tour Spool",
                "default_code": "SLR-TOUR-SPOOL",
                "type": "product",
                "tracking": "lot",
            }
        )
        lot_1, lot_2 = self.env["stock.lot"].create(
            [
                {"name": "L1", "product_id": spool.id},
                {"name": "L2", "product_id": spool.id},
            ]
        )
        Quant = self.env["stock.quant"]
        Quant._update_available_quantity(spool, self.stock, 3, lot_id=lot_1)
        Quant._update_available_quantity(spool, self.shelf, 2, lot_id=lot_2)

        self._start_with_screenshots(
            spool,
            "stock_lot_reassign_split_tour",
            ("9_split",),
            url=f"/web#id={lot_1.id}&model=stock.lot&view_type=form",
        )

        self.assertEqual(spool.tracking, "serial")
        self.assertEqual(
            sorted(
                (q.location_id.complete_name, q.lot_id.name, q.quantity)
                for q in self._internal_quants(spool)
            ),
            [
                ("WH/Stock", "L1-001", 1.0),
                ("WH/Stock", "L1-002", 1.0),
                ("WH/Stock", "L1-003", 1.0),
                ("WH/Stock/Tour Shelf", "L2-001", 1.0),
                ("WH/Stock/Tour Shelf", "L2-002", 1.0),
            ],
        )
