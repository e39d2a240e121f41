// Training examples written for this project; same line format as training-access.ts.
export const EMAIL_EXAMPLES = `
email P4 question y | how do I add a shared mailbox in outlook
email P4 request n | create distribution list :: please create distribution list members below
email P3 incident y | outlook not receiving emails since this morning
email P3 incident y | outlook keeps asking for password
email P3 incident y | cannot open outlook stuck on loading profile
email P1 incident n | email is down for everyone
email P3 incident n | emails bouncing back undeliverable from external domain
email P4 question y | how do I set up out of office
email P4 request y | out of office :: please set out office reply mailbox leaver
email P4 request n | meeting room :: please add meeting room calendar booking
email P4 question y | how do I book a meeting room in outlook
email P3 incident n | calendar invites not showing in outlook
email P4 request n | please share my calendar with my assistant
email P3 incident y | mailbox full cannot send emails
email P4 request n | increase mailbox size please quota reached
email P3 incident y | outlook search not finding any emails
email P4 request n | forward emails from leaver mailbox to manager
email P3 incident y | webmail shows error when I sign in on owa
email P3 incident n | emails stuck in outbox
email P4 question y | how do i add my work email to my iphone
email P3 incident y | outlook crashes when opening attachments
email P4 request n | please rename the distribution group for the sales team
email P3 incident n | not receiving meeting invites from external partners
email P4 request n | room mailbox for the new conference room on 2nd floor
email P3 incident y | shared mailbox not showing in outlook after access granted
`;

export const PRINTING_EXAMPLES = `
printing P3 incident y | printer queue stuck nothing prints
printing P3 incident y | print jobs stuck in the queue
printing P4 question y | how do i add the office printer to my laptop
printing P3 incident n | printer on the 4th floor is jammed
printing P3 incident n | paper jam in the copier again
printing P4 request n | printer out of toner please replace
printing P4 request n | toner :: toner cartridge black order printer thanks
printing P3 incident y | scanner not sending scans to my email
printing P3 incident n | scan to folder stopped working on the multifunction printer
printing P4 request n | install printer driver on my mac
printing P3 incident y | printer offline on my computer
printing P3 incident n | printing very slow and pages come out blank
printing P4 question y | how do i print double sided
printing P4 request n | new printer for the finance office
printing P3 incident n | plotter not printing large drawings
printing P3 incident y | cannot print :: cannot print document error printer hi
printing P3 incident n | printer shows offline for everyone on the floor
printing P3 incident n | print queue :: queue stuck hi please clear printer queue
printing P3 incident n | the printer on our floor is jammed and shows an error
printing P3 incident n | paper stuck inside the printer tray 2
printing P3 incident n | copier jammed :: jam error code printer floor
printing P3 incident n | printer making grinding noise and not feeding paper
printing P4 request n | printer needs maintenance toner low warning
`;

export const SECURITY_EXAMPLES = `
security P3 incident n | I got a phishing email asking for my password
security P3 incident n | suspicious email with a link, I clicked it by mistake
security P2 incident n | I clicked a link in a phishing mail and entered my password
security P3 request n | block sender :: spam emails please block domain
security P2 incident n | my laptop was stolen from my car
security P2 incident n | lost my work phone on the train
security P1 incident n | ransomware message on several computers
security P2 incident n | antivirus found malware on my laptop
security P3 incident n | virus :: virus detected laptop popup please check
security P3 incident n | someone logged into my account from another country
security P3 incident n | strange login alert from unknown location
security P2 incident n | i accidentally sent customer data to the wrong external address
security P3 incident n | data leak :: sensitive file shared publicly link please remove
security P3 incident n | suspicious popup says my computer is infected call this number
security P3 incident n | fake invoice email with attachment from unknown sender
security P4 question n | how do I report a phishing email
security P3 incident n | phishing :: phishing email received colleagues please check
security P3 incident n | usb stick found in the parking lot
security P2 incident n | compromised account sending spam to my contacts
security P3 request n | security review request for new saas tool
`;

export const OTHER_EXAMPLES = `
other P4 request n | job title change in hr system please
other P4 request n | access card for new employee reception
other P4 request n | visitor badge for tomorrow guests
other P4 request n | desk move :: please move desk new seat floor
other P4 request n | conference :: shared centers conference problem november
other P4 request n | change demands :: change demands motivation thursday november logo
other P3 incident n | payroll :: salary slip missing payroll please check
other P4 question n | who do I contact about my payslip
other P4 request n | please update my bank details for expenses
other P4 request n | parking permit request
other P4 request n | the air conditioning in room 3 is broken
other P3 incident n | monitoring alert :: alert cpu threshold exceeded host automated notification
other P3 incident n | automated alert disk usage critical on host
other P4 request n | notification :: automatic notification job completed status
other P4 question n | hello can someone help
other P4 request n | invoice :: invoice attached please process payment supplier
other P4 request n | purchase order approval :: please approve purchase order supplier
other P4 request n | training :: please enroll me in the compliance training
other P3 incident n | leave balance wrong in hr portal
other P4 request n | office supplies :: need stationery notebooks pens
other P4 question n | what is the process for a relocation
other P4 request n | sent monday :: sent monday re please see below
other P4 request n | timesheet :: timesheet approval pending please approve week
other P3 incident n | timesheet :: cannot submit timesheet error project code closed
other P4 request n | expenses :: expense claim travel receipts attached please
other P4 request n | contract :: contract renewal supplier documents attached
other P4 request n | budget :: budget approval next quarter finance
other P3 incident n | the coffee machine on floor 2 is leaking
other P4 request n | new furniture :: chair broken please replace ergonomic chair
other P4 request n | recruitment :: candidate interview schedule please arrange
other P4 request n | org chart update :: manager change reporting line update
other P4 request n | performance review form :: please reopen review form
other P4 request n | welcome pack for new starters reception
other P4 request n | cerere :: va rog sa aprobati cererea pentru concediu multumesc
other P4 request n | factura :: buna ziua va rog verificati factura atasata multumesc
other P3 incident n | pontaj :: nu pot introduce orele in sistem va rog ajutor
`;

// Process mail that helpdesks receive in bulk: forms, notices and finance/HR systems.
export const PROCESS_EXAMPLES = `
access P4 request n | role :: please assign specialist role reports salary entities
access P4 request n | change approvals :: approvals pending change role approver access
email P4 request n | add to distribution list after relocation office unit
email P3 incident n | quarantine :: legit emails going quarantine please release
email P3 incident n | undeliverable :: urgent emails returned undeliverable today
email P3 incident y | outlook meetings :: issues outlook meetings conference call invite missing
other P4 request n | name change :: please change name hr record married
other P4 request n | old notifications :: resolved report old notifications everyone
other P4 request n | calls related development information schedule
other P4 request n | oracle :: oracle fusion change employee assignment hr
other P3 incident n | oracle receivables :: invoice template error cannot create credit note
software P4 request n | migration :: please migrate repository new server log migration
software P4 request n | jira workflow :: add status jira workflow board
software P4 request n | delete cr :: ability delete change request cancelled tool
software P4 request n | sharepoint site :: create site collection team documents
network P4 request n | port :: please allow requests port integration firewall
network P4 request n | router license :: router licence renewal notification
network P4 request n | access to system assigned network team please configure connection
hardware P4 request n | server hardware :: new server rack install data centre
security P3 request n | db policies :: security policies database servers hardening
security P3 incident n | encrypted mail :: cannot read encrypted internal email sensitivity label
`;
