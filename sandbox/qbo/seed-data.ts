// The people and things in the sandbox's demo company, Larkspur Media & Supply: an agency that
// buys media for its clients and builds the displays it installs. The demo host apps draw their
// own vendors, contacts and parts from these lists (spelled the way each host app would).

export interface SeedParty {
  name: string;
  email?: string;
  phone?: string;
  city?: string;
  state?: string;
}

/** "Smith, John" → { first: 'John', last: 'Smith' }; null for an organisation's name. */
export function splitPersonName(name: string): { first: string; last: string } | null {
  const m = /^([^,]+), (.+)$/.exec(name);
  return m ? { first: m[2], last: m[1] } : null;
}

/** Media outlets the agency buys from (the media-buying host app's vendors). */
export const MEDIA_VENDORS: SeedParty[] = [
  { name: 'WXYZ-TV', email: 'traffic@wxyztv.com', phone: '(313) 555-0142', city: 'Detroit', state: 'MI' },
  { name: 'KABC-TV', email: 'billing@kabc7.com', phone: '(818) 555-0177', city: 'Glendale', state: 'CA' },
  { name: 'WGN Radio', email: 'ar@wgnradio.com', phone: '(312) 555-0120', city: 'Chicago', state: 'IL' },
  { name: 'KQED Public Media', email: 'underwriting@kqed.org', phone: '(415) 555-0163', city: 'San Francisco', state: 'CA' },
  { name: 'WFLA-TV', email: 'sales@wfla.com', phone: '(813) 555-0135', city: 'Tampa', state: 'FL' },
  { name: 'KNX News Radio', email: 'invoices@knxnews.com', phone: '(323) 555-0101', city: 'Los Angeles', state: 'CA' },
  { name: 'WBZ-FM', email: 'billing@wbzfm.com', phone: '(617) 555-0188', city: 'Boston', state: 'MA' },
  { name: 'KSTP-TV', email: 'accounting@kstp.com', phone: '(651) 555-0194', city: 'St. Paul', state: 'MN' },
  { name: 'The Denver Post', email: 'adbilling@denverpost.com', phone: '(303) 555-0110', city: 'Denver', state: 'CO' },
  { name: 'Chicago Tribune Media Group', email: 'ar@tribpub.com', phone: '(312) 555-0151', city: 'Chicago', state: 'IL' },
  { name: 'Seattle Times Company', email: 'adsales@seattletimes.com', phone: '(206) 555-0125', city: 'Seattle', state: 'WA' },
  { name: 'Clear Channel Outdoor', email: 'ooh.billing@clearchannel.com', phone: '(210) 555-0166', city: 'San Antonio', state: 'TX' },
  { name: 'Lamar Advertising Company', email: 'invoices@lamar.com', phone: '(225) 555-0148', city: 'Baton Rouge', state: 'LA' },
  { name: 'Outfront Media', email: 'billing@outfront.com', phone: '(212) 555-0139', city: 'New York', state: 'NY' },
  { name: 'Spotify Advertising', email: 'adsbilling@spotify.com', city: 'New York', state: 'NY' },
  { name: 'Pandora Media LLC', email: 'adops@pandora.com', city: 'Oakland', state: 'CA' },
  { name: 'iHeartMedia Inc.', email: 'ar@iheartmedia.com', phone: '(210) 555-0122', city: 'San Antonio', state: 'TX' },
  { name: 'Cumulus Media', email: 'billing@cumulus.com', phone: '(404) 555-0157', city: 'Atlanta', state: 'GA' },
  { name: 'Entercom Communications Corp', email: 'ar@entercom.com', phone: '(610) 555-0173', city: 'Philadelphia', state: 'PA' },
  { name: 'Hearst Magazines', email: 'adbilling@hearst.com', phone: '(212) 555-0105', city: 'New York', state: 'NY' },
  { name: 'Conde Nast Publications', email: 'ar@condenast.com', phone: '(212) 555-0199', city: 'New York', state: 'NY' },
  { name: 'Meredith Corporation', email: 'billing@meredith.com', phone: '(515) 555-0181', city: 'Des Moines', state: 'IA' },
  { name: 'Gannett Co., Inc.', email: 'adinvoices@gannett.com', phone: '(703) 555-0146', city: 'McLean', state: 'VA' },
  { name: 'Harbor Freight Lines', email: 'dispatch@harborfreightlines.com', phone: '(562) 555-0117', city: 'Long Beach', state: 'CA' },
  { name: 'Nexstar Broadcasting', email: 'ar@nexstar.tv', phone: '(972) 555-0128', city: 'Irving', state: 'TX' },
  { name: 'Sinclair Broadcast Group', email: 'billing@sbgtv.com', phone: '(410) 555-0160', city: 'Hunt Valley', state: 'MD' },
  { name: 'Tegna Inc', email: 'ar@tegna.com', phone: '(703) 555-0132', city: 'Tysons', state: 'VA' },
  { name: 'Univision Communications', email: 'cobranza@univision.net', phone: '(305) 555-0190', city: 'Miami', state: 'FL' },
  { name: 'Salem Media Group', email: 'ar@salemmedia.com', phone: '(805) 555-0116', city: 'Camarillo', state: 'CA' },
  { name: 'Audacy Bay Area', email: 'billing.sf@audacy.com', phone: '(415) 555-0144', city: 'San Francisco', state: 'CA' },
];

/** Parts and materials suppliers (the ERP host app's suppliers). */
export const SUPPLIERS: SeedParty[] = [
  { name: 'Precision Fasteners Inc', email: 'orders@precisionfasteners.com', phone: '(216) 555-0113', city: 'Cleveland', state: 'OH' },
  { name: 'Allied Electronics & Automation', email: 'ar@alliedelec.com', phone: '(817) 555-0150', city: 'Fort Worth', state: 'TX' },
  { name: 'Digi-Key Electronics', email: 'billing@digikey.com', phone: '(218) 555-0136', city: 'Thief River Falls', state: 'MN' },
  { name: 'McMaster-Carr Supply Co', email: 'ar@mcmaster.com', phone: '(630) 555-0171', city: 'Elmhurst', state: 'IL' },
  { name: 'Grainger Industrial Supply', email: 'invoices@grainger.com', phone: '(847) 555-0118', city: 'Lake Forest', state: 'IL' },
  { name: 'Fastenal Company', email: 'billing@fastenal.com', phone: '(507) 555-0149', city: 'Winona', state: 'MN' },
  { name: 'Mouser Electronics', email: 'ar@mouser.com', phone: '(817) 555-0192', city: 'Mansfield', state: 'TX' },
  { name: 'Pacific Aluminum Extrusions', email: 'sales@pacalext.com', phone: '(503) 555-0127', city: 'Portland', state: 'OR' },
  { name: 'Summit Signs & Displays LLC', email: 'billing@summitsigns.com', phone: '(720) 555-0140', city: 'Aurora', state: 'CO' },
  { name: 'Acme Supply East', email: 'east@acmesupply.com', phone: '(201) 555-0154', city: 'Newark', state: 'NJ' },
  { name: 'Acme Supply West', email: 'west@acmesupply.com', phone: '(909) 555-0167', city: 'Ontario', state: 'CA' },
  { name: 'Brothers Plastics Molding', email: 'office@brosplastics.com', phone: '(414) 555-0185', city: 'Milwaukee', state: 'WI' },
  { name: 'Global Industrial Components Ltd', email: 'ap@globalindcomp.com', phone: '(905) 555-0108', city: 'Mississauga', state: 'ON' },
  { name: 'Northern Tool & Equipment', email: 'billing@northerntool.com', phone: '(952) 555-0112', city: 'Burnsville', state: 'MN' },
  { name: 'Sunbelt LED Lighting', email: 'ar@sunbeltled.com', phone: '(480) 555-0198', city: 'Tempe', state: 'AZ' },
  { name: 'Keystone Metal Works', email: 'accounts@keystonemetal.com', phone: '(717) 555-0121', city: 'Lancaster', state: 'PA' },
  { name: 'Coastal Packaging Corp', email: 'billing@coastalpack.com', phone: '(757) 555-0130', city: 'Norfolk', state: 'VA' },
  { name: 'Harbor Freight Logistics', email: 'billing@hfl-logistics.com', phone: '(562) 555-0183', city: 'Carson', state: 'CA' },
  { name: 'Midwest Powder Coating', email: 'office@mwpowdercoat.com', phone: '(317) 555-0159', city: 'Indianapolis', state: 'IN' },
  { name: 'Tri-State Wire & Cable', email: 'ar@tristatewire.com', phone: '(412) 555-0176', city: 'Pittsburgh', state: 'PA' },
];

/** Everyday business vendors: rent, utilities, software, insurance, freelancers. */
export const SERVICE_VENDORS: SeedParty[] = [
  { name: 'Pacific Gas and Electric', email: 'billing@pge.com', phone: '(800) 555-0143' },
  { name: 'Comcast Business', email: 'business@comcast.net', phone: '(800) 555-0161' },
  { name: 'Brookfield Office Properties', email: 'rent@brookfieldprops.com', phone: '(212) 555-0170' },
  { name: 'Adobe Systems Inc', email: 'ar@adobe.com' },
  { name: 'Amazon Web Services', email: 'aws-receivables@amazon.com' },
  { name: 'The Hartford Insurance', email: 'billing@thehartford.com', phone: '(860) 555-0124' },
  { name: 'Staples Business Advantage', email: 'invoices@staples.com', phone: '(508) 555-0109' },
  { name: 'FedEx Freight', email: 'freightbilling@fedex.com', phone: '(901) 555-0186' },
  { name: 'UPS Supply Chain Solutions', email: 'billing@ups.com', phone: '(404) 555-0103' },
  { name: 'Kessler & Marsh CPAs', email: 'office@kesslermarsh.com', phone: '(415) 555-0119' },
  { name: 'Delgado Legal Services PLLC', email: 'billing@delgadolegal.com', phone: '(305) 555-0145' },
  { name: 'Maria Ortiz Photography', email: 'maria.ortiz.photo@gmail.com', phone: '(415) 555-0111' },
  { name: 'Smith, John', email: 'jsmith.voiceover@gmail.com', phone: '(323) 555-0175' },
  { name: 'Priya Raman Design', email: 'priya@ramandesign.studio' },
  { name: 'Bay Area Couriers', email: 'dispatch@bayareacouriers.com', phone: '(510) 555-0152' },
  { name: 'Verizon Wireless', email: 'business@verizon.com', phone: '(800) 555-0197' },
  { name: 'WeWork Management LLC', email: 'billing@wework.com' },
  { name: 'Gusto Payroll', email: 'billing@gusto.com' },
];

/** The agency's clients (the CRM's contacts and the portal's customers). */
export const CUSTOMERS: SeedParty[] = [
  { name: 'Bayside Auto Group', email: 'marketing@baysideauto.com', phone: '(650) 555-0131', city: 'San Mateo', state: 'CA' },
  { name: 'Redwood Credit Union', email: 'ap@redwoodcu.org', phone: '(707) 555-0147', city: 'Santa Rosa', state: 'CA' },
  { name: 'Golden Gate Dental Partners', email: 'office@ggdental.com', phone: '(415) 555-0174', city: 'San Francisco', state: 'CA' },
  { name: 'Sierra Nevada Outfitters', email: 'accounts@sierranevadaoutfitters.com', phone: '(530) 555-0126', city: 'Truckee', state: 'CA' },
  { name: 'Harborview Medical Center', email: 'ap@harborviewmed.org', phone: '(206) 555-0189', city: 'Seattle', state: 'WA' },
  { name: 'Cascade Brewing Company', email: 'hello@cascadebrewing.com', phone: '(503) 555-0115', city: 'Portland', state: 'OR' },
  { name: 'Mission Street Bakery', email: 'orders@missionstbakery.com', phone: '(415) 555-0138', city: 'San Francisco', state: 'CA' },
  { name: 'Alpine Ski Resorts Inc', email: 'finance@alpineski.com', phone: '(970) 555-0102', city: 'Vail', state: 'CO' },
  { name: 'Coastal Realty Group', email: 'ap@coastalrealty.com', phone: '(831) 555-0164', city: 'Monterey', state: 'CA' },
  { name: 'Desert Sun Solar', email: 'billing@desertsunsolar.com', phone: '(602) 555-0178', city: 'Phoenix', state: 'AZ' },
  { name: 'Evergreen Landscaping', email: 'office@evergreenland.com', phone: '(425) 555-0191', city: 'Bellevue', state: 'WA' },
  { name: 'Fairway Golf Supply', email: 'ap@fairwaygolf.com', phone: '(760) 555-0106', city: 'Carlsbad', state: 'CA' },
  { name: 'Granite State Insurance Agency', email: 'accounting@granitestateins.com', phone: '(603) 555-0133', city: 'Manchester', state: 'NH' },
  { name: 'Hillside Veterinary Clinic', email: 'frontdesk@hillsidevet.com', phone: '(510) 555-0169', city: 'Berkeley', state: 'CA' },
  { name: 'Ironwood Fitness Clubs', email: 'ap@ironwoodfitness.com', phone: '(480) 555-0141', city: 'Scottsdale', state: 'AZ' },
  { name: 'Juniper Home Furnishings', email: 'finance@juniperhome.com', phone: '(503) 555-0180', city: 'Beaverton', state: 'OR' },
  { name: 'Keller Family Dentistry', email: 'office@kellerdentistry.com', phone: '(916) 555-0114', city: 'Sacramento', state: 'CA' },
  { name: 'Lakeside Marina & Boat Sales', email: 'sales@lakesidemarina.com', phone: '(530) 555-0158', city: 'Tahoe City', state: 'CA' },
  { name: 'Meridian Health Partners', email: 'ap@meridianhp.com', phone: '(317) 555-0187', city: 'Carmel', state: 'IN' },
  { name: 'Northstar Plumbing & Heating', email: 'office@northstarplumbing.com', phone: '(612) 555-0107', city: 'Minneapolis', state: 'MN' },
  { name: 'Oakridge Property Management', email: 'ap@oakridgepm.com', phone: '(865) 555-0129', city: 'Knoxville', state: 'TN' },
  { name: 'Pinnacle Financial Advisors', email: 'admin@pinnaclefa.com', phone: '(704) 555-0172', city: 'Charlotte', state: 'NC' },
  { name: 'Quarry Lane Winery', email: 'orders@quarrylanewinery.com', phone: '(707) 555-0155', city: 'Napa', state: 'CA' },
  { name: 'Riverside Community College', email: 'purchasing@rcc.edu', phone: '(951) 555-0137', city: 'Riverside', state: 'CA' },
  { name: 'Summit Orthopedics', email: 'marketing@summitortho.com', phone: '(651) 555-0168', city: 'Eagan', state: 'MN' },
  { name: 'Tidewater Seafood Market', email: 'office@tidewaterseafood.com', phone: '(757) 555-0104', city: 'Virginia Beach', state: 'VA' },
  { name: 'Union Square Hotel Group', email: 'ap@unionsquarehotels.com', phone: '(415) 555-0195', city: 'San Francisco', state: 'CA' },
  { name: 'Valley Children\'s Museum', email: 'info@valleychildrensmuseum.org', phone: '(559) 555-0123', city: 'Fresno', state: 'CA' },
  { name: 'Westgate Shopping Center', email: 'leasing@westgatecenter.com', phone: '(408) 555-0156', city: 'San Jose', state: 'CA' },
  { name: 'Yellowstone Adventure Tours', email: 'bookings@yellowstoneadventure.com', phone: '(406) 555-0182', city: 'Bozeman', state: 'MT' },
  { name: 'Zenith Wellness Spa', email: 'manager@zenithspa.com', phone: '(702) 555-0118', city: 'Las Vegas', state: 'NV' },
  { name: 'Amy\'s Bird Sanctuary', email: 'birds@intuit.com', phone: '(650) 555-3311', city: 'Bayshore', state: 'CA' },
  { name: 'Brightside Pediatrics', email: 'billing@brightsidepeds.com', phone: '(408) 555-0134', city: 'Campbell', state: 'CA' },
  { name: 'Canyon Ridge Apartments', email: 'office@canyonridgeapts.com', phone: '(801) 555-0165', city: 'Salt Lake City', state: 'UT' },
  { name: 'Diaz Construction Co', email: 'office@diazconstruction.com', phone: '(210) 555-0179', city: 'San Antonio', state: 'TX' },
  { name: 'Elm Street Books', email: 'owner@elmstreetbooks.com', phone: '(802) 555-0150', city: 'Burlington', state: 'VT' },
  { name: 'Franklin Legal Group', email: 'accounts@franklinlegal.com', phone: '(615) 555-0111', city: 'Nashville', state: 'TN' },
  { name: 'Greenleaf Organic Grocers', email: 'ap@greenleafgrocers.com', phone: '(512) 555-0193', city: 'Austin', state: 'TX' },
  { name: 'Highland Park Pharmacy', email: 'rx@highlandparkrx.com', phone: '(214) 555-0128', city: 'Dallas', state: 'TX' },
  { name: 'Island Breeze Resorts', email: 'finance@islandbreeze.com', phone: '(808) 555-0162', city: 'Honolulu', state: 'HI' },
  { name: 'Jensen Hardware & Lumber', email: 'store@jensenhardware.com', phone: '(208) 555-0144', city: 'Boise', state: 'ID' },
  { name: 'Kingsley Academy', email: 'business@kingsleyacademy.org', phone: '(617) 555-0121', city: 'Cambridge', state: 'MA' },
  { name: 'Lopez, Maria', email: 'maria.lopez@yahoo.com', phone: '(213) 555-0177', city: 'Los Angeles', state: 'CA' },
  { name: 'Chen, David', email: 'dchen88@gmail.com', phone: '(415) 555-0153', city: 'Daly City', state: 'CA' },
  { name: 'Patel, Anika', email: 'anika.patel@outlook.com', phone: '(408) 555-0186', city: 'Sunnyvale', state: 'CA' },
  { name: 'O\'Brien Family Dental', email: 'frontdesk@obriendental.com', phone: '(312) 555-0113', city: 'Evanston', state: 'IL' },
  { name: 'Pacific Coast Cycling', email: 'shop@pacificcoastcycling.com', phone: '(949) 555-0140', city: 'Irvine', state: 'CA' },
  { name: 'Rocky Mountain Chocolate Works', email: 'orders@rmchocolateworks.com', phone: '(970) 555-0125', city: 'Durango', state: 'CO' },
  { name: 'Silverline Event Rentals', email: 'events@silverlinerentals.com', phone: '(702) 555-0166', city: 'Henderson', state: 'NV' },
  { name: 'Trinity Lutheran Church', email: 'office@trinitylutheran.org', phone: '(402) 555-0109', city: 'Omaha', state: 'NE' },
];

/** Parts the ERP host app buys, named as QBO items are matched: "<part> Rev <revision>". */
export const PARTS: { part: string; revision: string; description: string; cost: number; price: number }[] = [
  { part: '820412-001', revision: 'B', description: 'LED display controller board', cost: 48.5, price: 95 },
  { part: '820413-002', revision: 'A', description: 'Aluminum frame extrusion, 2 m', cost: 22.75, price: 49 },
  { part: '711020-010', revision: 'C', description: 'Tempered glass face panel 48x72', cost: 135, price: 260 },
  { part: '640201-004', revision: 'A', description: 'Weatherproof power supply 300 W', cost: 64, price: 129 },
  { part: '500118-220', revision: 'D', description: 'Mounting bracket kit, steel', cost: 18.2, price: 39 },
  { part: '930077-001', revision: 'B', description: 'Vinyl wrap roll, matte, 60 in', cost: 210, price: 380 },
  { part: '312900-003', revision: 'A', description: 'M6 stainless fastener assortment', cost: 9.8, price: 24 },
  { part: '450660-015', revision: 'E', description: 'Cat6 outdoor cable, 100 ft', cost: 41, price: 79 },
  { part: '820500-001', revision: 'A', description: 'Media player, 4K signage', cost: 189, price: 349 },
  { part: '101234-007', revision: 'C', description: 'Acrylic letter set, 12 in', cost: 56, price: 119 },
];

/** Services and goods the agency sells. */
export const SERVICES: { name: string; description: string; price: number; account: string }[] = [
  { name: 'Media Planning', description: 'Media strategy and planning', price: 150, account: 'Agency Fees' },
  { name: 'Media Buying', description: 'Broadcast and digital media placement', price: 1, account: 'Media Sales' },
  { name: 'Creative Design', description: 'Creative design, per hour', price: 125, account: 'Agency Fees' },
  { name: 'Video Production', description: 'Video production day rate', price: 2400, account: 'Production Income' },
  { name: 'Consulting', description: 'Marketing consulting, per hour', price: 175, account: 'Agency Fees' },
  { name: 'Sign Installation', description: 'Display and sign installation', price: 95, account: 'Installation Income' },
  { name: 'Print Production', description: 'Print collateral production', price: 1, account: 'Production Income' },
];

/** The second company in the sandbox, so the consent page has a real choice. */
export const SECOND_COMPANY = {
  name: 'Cedar Ridge Manufacturing',
  vendors: ['Keystone Metal Works', 'Fastenal Company', 'Coastal Packaging Corp', 'Tri-State Wire & Cable'],
  customers: ['Jensen Hardware & Lumber', 'Northstar Plumbing & Heating', 'Diaz Construction Co'],
};
