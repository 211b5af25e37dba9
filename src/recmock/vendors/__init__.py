"""The vendors recmock serves. Adding a vendor is one package here and one line below."""

from recmock.vendors.claap import ClaapVendor
from recmock.vendors.eyeson import EyesonVendor
from recmock.vendors.scoot import ScootVendor
from recmock.vendors.telnyx import TelnyxVendor
from recmock.vendors.valt import ValtVendor

VENDOR_TYPES = [
    ClaapVendor,
    TelnyxVendor,
    EyesonVendor,
    ScootVendor,
    ValtVendor,
]
