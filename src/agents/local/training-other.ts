// Training examples written for this project; same line format as training-access.ts.
export const EMAIL_EXAMPLES = `
email P4 question y | how do I add a shared mailbox in outlook
email P4 request n | please give me access to the support shared mailbox
email P4 request n | shared mailbox :: hello please create shared mailbox team members attached
email P4 request n | create distribution list :: please create distribution list members below
email P4 request n | add me to the all-staff distribution list
email P4 request n | all staff outlook :: hello please update distribution list moved offices
email P3 incident y | outlook not receiving emails since this morning
email P3 incident y | outlook keeps asking for password
email P3 incident y | cannot open outlook stuck on loading profile
email P3 incident y | cannot on outlook account from laptop :: outlook credentials remove credential manager
email P1 incident n | exchange is down :: down available
email P1 incident n | email is down for everyone
email P3 incident n | emails bouncing back undeliverable from external domain
email P4 question y | how do I set up out of office
email P4 request y | out of office :: please set out office reply mailbox leaver
email P4 question y | meeting rooms :: dear meeting rooms floor rooms name find calendar
email P4 request n | meeting room :: please add meeting room calendar booking
email P4 question y | how do I book a meeting room in outlook
email P3 incident n | calendar invites not showing in outlook
email P4 request n | please share my calendar with my assistant
email P3 incident y | mailbox full cannot send emails
email P4 request n | increase mailbox size please quota reached
email P3 incident y | outlook search not finding any emails
email P4 request n | mailbox :: hi please create mailbox new team thanks
email P4 request n | forward emails from leaver mailbox to manager
email P3 incident y | webmail shows error when I sign in on owa
email P4 request n | email alias :: please add alias address user
email P3 incident n | emails stuck in outbox
email P4 question y | how do i add my work email to my iphone
email P3 incident y | outlook crashes when opening attachments
email P4 request n | signature :: hello please update email signature template
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
printing P4 request n | new purchase po :: purchased cartridge toner cyan magenta yellow please log allocation
printing P4 request n | toner :: toner cartridge black order printer thanks
printing P3 incident n | printer :: printer floor lights error printing please check
printing P3 incident n | printer th floor :: hello could please check printer floor error thank office
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
printing P4 request n | scanner :: please setup scanner department
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
security P3 incident n | received weird mail :: received weird mail contain link hover advice
security P3 request n | please add sender to the blocked list :: received spam please take appropriate steps
security P3 request n | block sender :: spam emails please block domain
security P2 incident n | my laptop was stolen from my car
security P2 incident n | lost my work phone on the train
security P3 incident n | lost laptop :: hello lost laptop yesterday please advise
security P1 incident n | ransomware message on several computers
security P2 incident n | antivirus found malware on my laptop
security P3 incident n | virus :: virus detected laptop popup please check
security P3 incident n | your case has been updated :: unsolicited mail received please check suspicious
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
other P3 incident n | cannot submit annual leave :: cannot submit annual leave hi please help submit
other P3 incident n | oracle timecard submission issues :: timecard error submit context leave
other P3 incident n | cannot submit expenses :: added electronic receipt saying error please advise
other P3 incident n | expense report problem :: expense report approval pending manager approver list
other P3 incident n | issue cannot create invoices :: try create invoice some issue po created
other P4 question y | registering hours :: registering joined friday billable submit working days holiday
other P4 question y | how do i submit my timesheet for last week
other P4 request n | project code :: hello please create project code timesheet new client
other P4 request n | new client :: client hi client signed contract sow contract id fill form generate code
other P3 request n | cost mapping :: re costs hit add mapping please change code mapping ledger adjustments
other P4 request n | carrier change request :: carrier change dear please changing confirmed thank
other P4 request n | creative titles :: hello update job titles senior designer discipline
other P4 request n | job title change in hr system please
other P4 request n | access card :: card leaver defect card please deactivate
other P4 request n | access card for new employee reception
other P4 request n | visitor badge for tomorrow guests
other P4 request n | internal transfer physical access :: transfer dear listed transfer bench attached equipment cards
other P4 request n | access on the floor :: floor card reader door access
other P4 request n | desk move :: please move desk new seat floor
other P4 request n | add device :: hi please add device name number regards
other P4 request n | number to list :: hello colleague number order sites his number thank
other P4 request n | locations :: dear please setup locations order let thanks
other P4 request n | third import :: third import imported
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
other P4 request n | for :: hi please help next floor customers programme available tuesday
other P4 request n | invoice :: invoice attached please process payment supplier
other P4 request n | purchase order approval :: please approve purchase order supplier
other P4 request n | training :: please enroll me in the compliance training
other P4 request n | holiday :: annual leave request approval manager
other P3 incident n | leave balance wrong in hr portal
other P4 request n | please order business cards
other P4 request n | office supplies :: need stationery notebooks pens
other P4 question n | what is the process for a relocation
other P4 request n | re :: re thanks regards
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
other P4 request n | access on the rd floor :: re va si image
other P4 request n | cerere :: va rog sa aprobati cererea pentru concediu multumesc
other P4 request n | factura :: buna ziua va rog verificati factura atasata multumesc
other P3 incident n | pontaj :: nu pot introduce orele in sistem va rog ajutor
`;

// Process mail that helpdesks receive in bulk: forms, notices and finance/HR systems.
export const PROCESS_EXAMPLES = `
access P4 request n | starter form :: please complete starter form attached create accounts
access P4 request n | new starter form attached please fill in the account details
access P4 request n | new colleague joining our team please create accounts and add to groups
access P4 request n | please create user in sonar and give developer role
access P4 request n | add new servers to the access policy for our team
access P4 request n | data access :: please provide read access production data users
access P4 request n | role :: please assign specialist role reports salary entities
access P4 request n | enable access to the following reports for finance users
access P4 request n | servers access :: access servers redirect old account anymore
access P3 incident y | forgotten password :: forgotten password unable log
access P4 request n | change approvals :: approvals pending change role approver access
access P4 request n | remove user :: remove user ad groups mailbox access disabled
access P4 request n | sip account :: client needs sip account access
email P4 request n | addition to all staff :: add colleague all staff list location
email P4 request n | add to distribution list after relocation office unit
email P4 request n | remove addresses from distribution list accounts disabled
email P4 request n | common mailbox :: colleague needs access common mailbox joiner
email P3 request n | mailbox size :: disk space low please increase size mailbox
email P3 incident n | quarantine :: legit emails going quarantine please release
email P4 question y | install outlook on phone :: how install outlook phone calendar sync
email P3 incident n | undeliverable :: urgent emails returned undeliverable today
email P4 request n | infrastructure list :: add him to the mailing list for reports
email P4 request n | mailing list :: please add members mailing list group
email P3 incident y | outlook meetings :: issues outlook meetings conference call invite missing
other P4 request n | career change :: change career path steps order
other P4 request n | name change :: please change name hr record married
other P4 request n | commission scheme :: create commission scheme named sales
other P4 request n | project prolongation :: project end date extend change finish date
other P4 request n | closing inactive projects :: close inactive project codes date
other P4 request n | cancel annual leave :: cancel leave day sick instead
other P4 request n | transfer form :: internal transfer form fill department
other P4 request n | card enabling :: starter card enabling reception access card
other P4 request n | maternity return access card enabling form attached
other P4 request n | service restart :: teams restart service please ignore alerts polls
other P4 request n | old notifications :: resolved report old notifications everyone
other P4 request n | delete highlighted entries :: please delete entries list
other P4 request n | telephony audit :: check extensions users activity audit
other P4 request n | duplicate tickets :: opened two tickets same issue please merge
other P4 request n | entitlement :: please create entitled list benefits
other P3 incident n | electric outage notification building power tower
other P4 request n | status tracking :: keep old records period purpose
other P4 request n | calls related development information schedule
other P4 request n | pipeline :: sales pipeline figures insert cycle high priority
other P4 request n | regression import opportunity test data crm
other P4 request n | oracle :: oracle fusion change employee assignment hr
other P3 incident n | oracle receivables :: invoice template error cannot create credit note
other P4 request n | subject members summary christmas party list
software P4 request n | snow licence :: servicenow licence joiner fulfiller role
software P4 request n | ms project :: please install ms project license machine
software P4 request n | license request :: license installation tool needed activity
software P4 request n | project site :: create new project site sharepoint assign title
software P4 request n | migration :: please migrate repository new server log migration
software P3 request n | windows upgrade :: upgrade windows laptops please log assign
software P4 request n | nexus :: nexus repository configuration same as existing please apply
software P4 request n | invoice template change :: requirement change receivables invoice template report
software P4 request n | jira workflow :: add status jira workflow board
software P4 request n | zoom for external parties :: how share zoom video external guide
software P4 request n | delete cr :: ability delete change request cancelled tool
software P4 request n | sharepoint site :: create site collection team documents
network P4 request n | port :: please allow requests port integration firewall
network P4 request n | client network :: new client network addresses whitelist
network P4 request n | router license :: router licence renewal notification
network P4 request n | wired addresses :: assets wired mac addresses register network
network P4 request n | access to system assigned network team please configure connection
hardware P4 request n | borrow external drive :: borrow drive back format disks
hardware P4 request n | keyboard for days :: provide keyboard few days
hardware P4 request n | starter hardware :: mobile hardware new starter laptop phone
hardware P4 request n | server hardware :: new server rack install data centre
security P3 request n | personal laptop data wipe :: wipe company data personal device leaver
security P3 request n | db policies :: security policies database servers hardening
security P3 incident n | encrypted mail :: cannot read encrypted internal email sensitivity label
security P3 incident n | unexpected attachment :: expecting attached nor usually receive suspicious
`;
