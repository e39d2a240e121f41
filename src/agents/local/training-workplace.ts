// Training examples written for this project from general knowledge of what employees of a mid-size
// software/consulting company send to an IT helpdesk. They were written blind: without opening, reading or
// searching any evaluation data. Same line format as training-access.ts:
// `<category> <priority> <intent> <self_service y|n> | <text>`.
// Roughly half are chat messages and half terse mail (`subject :: stripped body`), with a few lines in
// German, Romanian, French and Spanish labelled by meaning.

export const ACCESS_WORKPLACE = `
access P4 request y | can you reset my password please, I forgot it over the holidays
access P3 incident y | i can't log into my laptop, it says my password is wrong
access P2 incident y | my account got locked and I can't get into anything this morning
access P4 question y | how often do we have to change our passwords here?
access P4 question y | what are the password rules? it rejects every new password I try
access P3 incident n | okta says my account is suspended after I came back from holiday
access P4 request n | please add me to the jira project for the mobile app team
access P4 request n | could I get edit rights on the marketing confluence space
access P4 request n | need access to the client's aws account for the migration project
access P4 request n | can you give me developer access to the gitlab group for payments
access P4 request n | I need a salesforce user, I've just joined the sales team
access P3 incident n | I'm getting "you don't have access" on the sharepoint site I use every day
access P4 request n | please add my new colleague to the project teams group
access P3 incident y | the authenticator app on my new phone doesn't show my work account
access P4 request y | I want to switch my MFA from SMS to the authenticator app
access P2 incident n | I reset my phone and lost the authenticator, now I can't sign in to anything
access P4 request n | can you set up accounts for two interns starting on the 1st
access P4 request n | our contractor's account expires friday, can we extend it by three months
access P4 request n | please remove my access to the old project folders, I moved teams
access P4 question n | who owns the finance sharepoint? I need to ask for access
access P4 request n | need read only access to the production database for support
access P3 request n | urgent: need access to the client's jira before tomorrow's kickoff
access P3 incident y | workday login says my password has expired
access P4 request n | can I get access to the servicenow agent workspace
access P4 request n | please give our new project manager access to the sap reporting cockpit
access P3 incident y | sso to zoom stopped working, it sends me back to the login page every time
access P4 request n | need to be added to the security group for the build servers
access P4 request n | please make me admin of our team's confluence space
access P4 request n | request for a shared service account for the test automation
access P3 incident n | my aws console access was removed and I need it for the deploy
access P4 request n | could you unlock the account of our new starter, she typed the temporary password wrong
access P4 question y | where is the self-service password reset page
access P3 incident y | entra asks me to approve the sign-in but no notification ever arrives
access P4 request n | I need access to the hr folder on the shared drive for the audit
access P4 request n | give the delivery managers access to the tableau dashboards
access P3 incident n | my yubikey stopped working when I log in
access P4 request n | please grant my team lead the approver role in workday
access P4 request n | we need a guest account for an external auditor for two weeks
access P2 incident y | I'm locked out of windows and I'm presenting to the client at 2pm
access P4 request n | new hire in QA starting monday, needs an ad account, email, jira and gitlab
access P4 request n | one of our developers is leaving on the 30th, please disable his accounts that evening
access P4 request n | internal transfer from support to consulting, please swap her groups and sharepoint access
access P4 request n | could you give me access to the oracle hyperion reports
access P4 question n | how do I request access to the legal share
access P3 incident n | my admin rights disappeared after the laptop was reimaged
access P4 request n | please reset the password of the shared training account
access P4 request n | I need an rsa token for the bank client project
access P3 incident n | can't log in to the client's citrix portal, my account there seems locked
access P4 request n | can I have the same permissions as my colleague on the billing folder
access P4 question y | how do I change my pin for windows hello
access P3 incident y | windows hello face login stopped working and only asks for the pin
access P4 request n | add our new team member to the azure devops organisation
access P4 request n | please revoke the github access of the freelancer who finished last week
access P3 incident y | gitlab rejects my password since the switch to sso
access P4 request n | I'd like read access to the architecture team's confluence space
access P3 incident n | teams says my account is disabled
access P4 request n | please add me to the okta group for the new expense tool
access P3 incident y | okta verify keeps sending the push to my old phone
access P4 request n | I need the same sharepoint rights as the person I'm replacing
access P4 request n | new starter form :: start date department consulting line manager equipment laptop accounts required
access P4 request n | new joiner :: joining next monday role java developer create accounts email jira
access P4 request n | onboarding :: new employee details attached create account access tools
access P4 request n | leaver :: last working day end month disable accounts remove access collect equipment
access P4 request n | leaver notification :: employee resigned last day friday revoke access mailbox forward line manager
access P4 request n | offboarding :: contract ended yesterday disable account remove groups
access P4 request n | wants to access :: requested access folder project documents approve
access P4 request n | wants to share :: would like share site external partner approve request
access P4 request n | access request :: grant access shared folder finance reports read
access P4 request n | sharepoint access :: request access site delivery edit permissions
access P3 incident y | password expired :: password expired cannot login laptop vpn
access P4 request y | password reset :: reset password account
access P3 incident y | account locked :: locked out several attempts unlock
access P4 request n | client system password :: reset password client portal account expired
access P4 request n | permissions :: add user group read write project share
access P4 request n | jira access :: access jira project board new member
access P4 request n | confluence space :: grant edit rights space documentation
access P4 request n | gitlab :: add maintainer role repository group
access P4 request n | aws iam :: create iam user read only access billing console
access P3 incident y | mfa :: new phone authenticator codes invalid cannot sign
access P3 request n | mfa reset :: reset mfa method lost old phone
access P4 request n | role change :: promoted lead update approver roles system
access P4 request n | transfer :: moving department next month update access groups
access P4 request n | admin rights :: request local administrator rights install development tools
access P4 request n | vpn access :: enable vpn profile new consultant remote
access P4 request n | salesforce user :: create salesforce user profile sales region
access P4 request n | sap role :: assign role purchase approval sap
access P4 request n | workday access :: request access workday reports
access P3 incident n | access denied :: error access denied opening report since yesterday
access P4 request n | account extension :: contractor account expiring extend end year
access P4 request n | service account :: create service account application integration password never expire
access P4 request n | remove access :: remove access project ended client
access P4 request n | account creation :: create accounts test environment users
access P4 request n | okta app :: assign okta application tile user
access P3 incident y | sso :: sign error redirect loop company login page
access P4 request n | guest access :: invite external guest teams project
access P4 request n | database access :: read access database reporting schema
access P4 request n | shared drive :: access drive folder department approved line manager
access P4 request n | folder permissions :: change permissions folder read only except owners
access P4 request n | approval :: approved access request proceed
access P2 incident y | locked out :: account locked cannot work whole day
access P4 request n | entitlement :: add entitlement group application access
access P4 request n | new accounts :: new starting list names roles create accounts
access P4 request n | intern :: summer intern starting accounts laptop needed
access P4 request n | rehire :: returning employee reactivate previous account
access P4 request n | surname change accounts :: surname changed update login email address
access P4 request n | privileged access :: request temporary admin access server maintenance window
access P4 request n | external consultant :: create guest account sharepoint project site expiry date
access P4 request n | acces :: va rog acordati acces folder proiect multumesc
access P3 incident y | parola :: parola expirata nu ma pot conecta va rog
access P4 request y | Passwort zurücksetzen :: bitte Passwort zurücksetzen danke
access P4 request n | bitte Zugriff auf den Projektordner freigeben, ich bin neu im Team
access P3 incident y | je n'arrive plus à me connecter, mon mot de passe ne fonctionne pas
access P4 request n | necesito acceso a la carpeta compartida de finanzas por favor
access P4 request n | nuevo empleado :: empieza el lunes crear cuenta correo acceso
`;

export const OTHER_WORKPLACE = `
other P4 question y | how do I book annual leave in workday
other P3 incident n | I can't submit my timesheet, the project code isn't in the list
other P4 request n | please add the new project code to my timesheet
other P4 request n | my timesheet for last week was rejected by mistake, can it be reopened
other P3 incident n | workday shows my leave balance as zero which is wrong
other P4 question n | who approves my expense claim when my manager is on leave
other P3 incident n | my expense report keeps failing at the receipt upload step
other P4 request n | need a new access card, mine stopped opening the front door
other P4 request n | lost my building badge, can I get a replacement
other P4 request n | visitor passes for three client guests on thursday
other P4 request n | the kitchen tap on the 3rd floor is leaking
other P3 incident n | heating is off in the open space and it's freezing
other P4 request n | can I get a parking spot assigned
other P4 question n | when is payday this month, is it moved because of the holiday
other P3 incident n | my salary hasn't arrived this month
other P4 request n | please update my home address in the hr system
other P4 question n | where can I find the travel policy
other P4 request n | need a po raised for the conference tickets
other P4 request n | the supplier invoice is still unpaid, can finance check
other P4 question n | which cost centre should I use for the team dinner
other P4 request n | please change my line manager in workday
other P4 request n | can we get a whiteboard installed in our team area
other P3 incident n | the lift on the east side has been broken since monday
other P4 question n | is there a template for the internal transfer form
other P4 request n | please close the project code for the finished client engagement
other P4 request n | I need the project code for internal training hours
other P3 incident n | I get "period closed" when I try to log hours for last month
other P4 request n | sick today and tomorrow, not sure where to log sick leave
other P4 request n | please cancel my leave for next friday, plans changed
other P4 question n | hello, quick question
other P4 question n | can you call me back
other P4 request n | see attached
other P4 request n | as discussed yesterday
other P4 request n | please advise on the below, forwarded from the client
other P4 request n | the office cleaners skipped our floor again
other P4 question n | how do I claim mileage for client visits
other P4 request n | welcome lunch for new joiners, please order catering
other P4 request n | please register me for the first aid course
other P4 question n | who do I talk to about my pension contributions
other P3 incident n | oracle shows my timesheet as submitted but my manager can't see it
other P4 request n | I need an employment certificate for my mortgage application
other P4 request n | reimbursement for the home office chair I bought
other P4 request n | please approve my overtime hours from the release weekend
other P4 question n | where do I find the holiday calendar for the romanian office
other P4 request n | timesheet :: timesheet rejected reopen week resubmit
other P3 incident n | timesheet error :: cannot save timesheet hours error project task
other P4 request n | project code :: create project code new client engagement start
other P4 request n | project assignment :: assign employee project code timesheet
other P4 request n | leave request :: annual leave request approve dates attached
other P3 incident n | leave :: leave days balance incorrect after carry over
other P4 request n | expense :: expense report submitted pending approval weeks
other P3 incident n | expenses :: cannot submit expense error receipt attachment
other P4 request n | invoice :: supplier invoice payment overdue check status
other P4 request n | purchase request :: raise purchase order training course
other P4 request n | access card :: access card not opening front door activate
other P4 request n | badge :: new badge request employee started
other P4 request n | visitor :: visitors tomorrow morning prepare badges reception
other P4 request n | parking :: parking space request car plate
other P4 request n | facilities :: light broken meeting room fix
other P4 request n | office :: window blind broken desk area
other P4 request n | coffee machine :: coffee machine broken kitchen floor
other P4 request n | desk booking :: book hot desk floor
other P3 incident n | alert :: automated alert service unavailable host check failed
other P3 incident n | monitoring :: critical memory usage server threshold automated
other P4 request n | notification :: scheduled job completed successfully report
other P3 incident n | backup failed :: automated notification backup job failed server
other P4 request n | certificate expiry :: automated notice certificate expires days
other P3 incident n | monitoring :: disk space low warning automated alert volume
other P4 request n | hr :: employee contract change hours part time
other P4 request n | transfer :: internal transfer employee new department effective date
other P4 request n | salary :: salary certificate request bank
other P3 incident n | payroll :: bonus missing payslip check
other P4 request n | relocation :: relocation support documents visa
other P4 request n | training :: training request course budget approval
other P4 request n | travel :: book travel client site flights hotel
other P4 request n | re :: re sent thursday see below
other P4 request n | fw :: fw see below
other P4 question n | question :: quick question regarding
other P4 request n | update :: update status pending
other P4 request n | cost centre :: change cost centre employee
other P4 request n | oracle :: oracle project hours approval pending line manager
other P3 incident n | sap :: period closed posting hours previous month
other P4 request n | erp :: employee not visible project team list erp
other P4 request n | holiday calendar :: public holidays calendar update country
other P4 request n | maternity :: maternity leave start date update system
other P4 request n | concediu :: cerere concediu odihna aprobare va rog
other P4 request n | pontaj :: va rog adaugati cod proiect pontaj luna
other P3 incident n | card acces :: cardul de acces nu functioneaza la intrare
other P4 request n | Urlaubsantrag :: bitte Urlaub nächste Woche genehmigen
other P3 incident n | die Heizung in unserem Büro ist kaputt, bitte reparieren
other P4 request n | note de frais :: merci de valider ma note de frais du mois dernier
other P4 request n | la tarjeta de acceso no abre la puerta del parking
other P4 request n | solicitud de vacaciones para la semana que viene
`;

export const HARDWARE_WORKPLACE = `
hardware P3 incident n | my macbook won't charge with the usb-c cable anymore
hardware P3 incident n | the lenovo dock keeps disconnecting my monitors
hardware P4 request n | can I get a laptop stand and an external keyboard
hardware P4 request n | I'd like a bigger monitor, 27 inch if possible
hardware P3 incident n | the spacebar on my dell keyboard is stuck
hardware P3 incident n | my headset crackles and people can't hear me in calls
hardware P4 request n | new starter next week will need a macbook pro and a dock
hardware P2 incident n | laptop died completely, black screen, and I have a client demo in an hour
hardware P3 incident n | one of my monitors has a line of dead pixels
hardware P3 incident n | the laptop lid hinge broke and the screen wobbles
hardware P4 request n | my mouse doesn't click properly anymore, can I get a new one
hardware P3 incident n | my thinkpad beeps three times and doesn't boot
hardware P4 question n | what laptop models can developers choose from
hardware P3 incident n | spilled coffee on my laptop keyboard
hardware P4 request n | need a company phone, I'm going on call from next month
hardware P3 incident n | my iphone battery is swollen and the back is lifting
hardware P4 request n | please collect the old monitors piled up in room 2.14
hardware P4 request n | the tv remote in the big meeting room is missing
hardware P3 incident n | the conference room camera isn't detected by the room pc
hardware P4 request n | I need a usb headset for the support shift
hardware P3 incident n | laptop buzzes and the screen flickers when I move it
hardware P4 request n | can we get a couple of spare docks for the hot desks
hardware P4 request n | please swap my laptop, it's five years old and too slow for docker
hardware P3 incident n | my external ssd isn't recognised on any computer
hardware P4 question n | I'm leaving at the end of the month, where do I hand in my laptop and phone
hardware P3 incident n | wireless keyboard and mouse keep lagging
hardware P4 request n | need a privacy filter for my laptop screen
hardware P3 incident n | dell laptop says battery not detected
hardware P4 request n | keyboard with a german layout for the new colleague
hardware P4 request n | log allocation :: po delivered laptops allocate assets users
hardware P4 request n | asset allocation :: purchase order received monitors log allocation
hardware P4 request n | purchase order :: po approved laptops delivery next week
hardware P4 request n | delivery :: docking stations delivered register assets
hardware P4 request n | hardware request :: new laptop developer start date specs
hardware P4 request n | equipment :: monitor keyboard mouse new desk
hardware P3 incident n | laptop :: laptop not starting power button nothing
hardware P3 incident n | screen :: external screen no signal hdmi cable
hardware P3 incident n | battery :: battery not charging adapter laptop
hardware P3 incident n | keyboard :: keys not typing keyboard laptop
hardware P4 request n | replacement :: broken headset replacement request
hardware P3 incident n | dock :: usb ports dock dead ethernet not passing
hardware P4 request n | mobile :: new sim card phone number porting
hardware P3 incident n | phone :: mobile screen cracked touch not responding
hardware P4 request n | return :: leaver equipment return laptop mobile charger
hardware P4 request n | upgrade :: laptop ssd upgrade disk space small
hardware P3 incident n | fan :: laptop fan noise overheating shuts down
hardware P4 request n | monitor request :: second monitor request desk
hardware P4 request n | server :: additional disks server storage expansion
hardware P3 incident n | webcam :: camera black image laptop built
hardware P4 request n | loan :: loan laptop trip client week
hardware P4 request n | disposal :: old laptops disposal certificate data wipe
hardware P3 incident n | macbook :: macbook keyboard keys repeating sticky
hardware P4 request n | laptop nou :: va rog alocati laptop angajat nou
hardware P3 incident n | mein Laptop startet nicht mehr, nur ein schwarzer Bildschirm
hardware P3 incident n | mon écran externe ne s'allume plus
hardware P4 request n | necesito un ratón y un teclado nuevos
`;

export const SOFTWARE_WORKPLACE = `
software P4 request n | can you install postman on my laptop, I don't have admin rights
software P4 request n | I need a jetbrains licence for rider
software P3 incident n | sap gui crashes every time I open a report
software P3 incident y | teams won't update, it just says an error occurred
software P4 question y | how do I get the new version of zoom
software P3 incident n | the salesforce page layout broke after the release, the save button is missing
software P4 request n | please add a client name field to the servicenow incident form
software P4 request n | can we get a jira report of time spent per epic
software P3 incident y | onedrive says there are sync conflicts on hundreds of files
software P3 incident n | my mac is stuck on the apple logo after the macos update
software P4 request n | need microsoft project installed for planning
software P3 incident y | chrome keeps crashing when I open sharepoint
software P4 request n | please install wsl and ubuntu on my windows laptop
software P3 incident n | docker desktop won't start after the windows update
software P4 question y | how do I install the company fonts on my mac
software P4 request n | our team needs figma licences for three designers
software P3 incident y | excel file opens read-only and I can't save my changes
software P3 incident n | visual studio says the licence is expired
software P4 request n | update the confluence template for project status reports
software P3 incident y | the onedrive icon is gone and files aren't syncing
software P4 question y | how do I restore a deleted file from onedrive
software P3 incident n | windows says I'm signed in with a temporary profile and my desktop is empty
software P4 request n | can you push the latest node version to the build agents
software P3 incident n | intellij freezes when indexing the monorepo
software P4 request n | please remove the winrar trial from my laptop and install 7-zip instead
software P3 incident n | the power bi report hasn't refreshed since friday
software P4 request n | we need a new dashboard in servicenow for the service desk queue
software P3 incident y | the teams app only shows a blank white window
software P4 request n | could we get the draw.io app enabled in confluence
software P3 incident n | the sharepoint list view stopped loading after someone changed the columns
software P4 request n | software request :: install notepad++ laptop
software P4 request n | installation :: install sql server management studio
software P4 request n | license :: jira software licence additional users
software P3 incident n | license expired :: visio licence expired cannot open diagrams
software P3 incident n | crash :: sap logon crashes startup
software P3 incident y | update :: windows update pending restart fails loop
software P3 incident y | onedrive :: files not syncing red cross icon
software P3 incident n | application error :: runtime error report module
software P4 request n | report change :: add column report export
software P4 request n | template :: update invoice template logo new address
software P4 request n | servicenow :: create new category catalog form
software P4 request n | jira :: create project board workflow new
software P4 request n | confluence :: create space project documentation
software P3 incident n | performance :: application very slow load pages
software P4 request n | upgrade :: upgrade office version latest
software P4 request n | deploy :: package deployment sccm laptops
software P3 incident n | error :: error opening file format not supported
software P4 request n | antivirus exclusion :: add exclusion folder build scanning
software P3 incident n | build :: gitlab pipeline runner stuck pending jobs
software P4 request n | environment :: new test environment database restore copy
software P3 incident y | browser :: page not loading cache cookies chrome
software P4 request n | macos :: upgrade macos version compatibility
software P3 incident n | salesforce :: flow error record cannot save
software P4 request n | instalare :: va rog instalati aplicatia pe laptop
software P3 incident n | Excel stürzt beim Öffnen der Datei immer ab
software P4 request n | pourriez-vous installer adobe acrobat sur mon poste
software P3 incident y | onedrive no sincroniza mis archivos
`;

export const EMAIL_WORKPLACE = `
email P4 request n | please give me access to the support shared mailbox
email P4 request n | could you create a distribution list for the berlin office
email P4 request n | add the two new starters to the all-consultants mailing list
email P3 incident y | outlook on my mac stopped syncing, the last update was yesterday
email P3 incident n | people outside the company say my emails land in their spam
email P4 question y | how do I set up an email signature in outlook on the web
email P4 request n | can you turn on the out of office for my colleague who is off sick
email P3 incident y | my calendar shows meetings at the wrong time since the clocks changed
email P4 request n | please book a recurring meeting room for our weekly standup
email P4 question y | how do I share my outlook calendar with the team
email P3 incident n | meeting room 4.02 declines every booking
email P3 incident n | I'm not getting emails from the client's domain anymore
email P4 request n | set up a shared calendar for the on-call rotation
email P3 incident y | outlook says my mailbox is almost full
email P3 incident y | the shared mailbox disappeared from my outlook
email P4 request n | I need send-as rights on the hr mailbox
email P3 incident n | emails I send to the sales distribution list are rejected
email P2 incident n | outlook won't open at all and I have to send the proposal today
email P4 question y | how do I recall a message in outlook
email P1 incident n | nobody in the company can send or receive email since 9am
email P4 request n | shared mailbox :: create shared mailbox access members
email P4 request n | mailbox access :: full access shared mailbox new member
email P4 request n | distribution list :: add members distribution list project
email P4 request n | distribution list :: remove leaver distribution lists
email P4 request y | out office :: set automatic reply absence
email P4 request n | meeting room :: new room calendar resource booking
email P3 incident n | calendar :: meeting room double booked calendar shows free
email P3 incident y | outlook :: outlook disconnected trying connect
email P3 incident n | mail delivery :: delivery failed recipient rejected
email P3 incident y | mailbox full :: mailbox quota exceeded cannot receive
email P4 request n | mail forward :: forward emails mailbox leaver line manager three months
email P4 request n | alias :: add email alias address
email P3 incident n | spam filter :: client emails blocked spam filter release
email P3 incident n | calendar :: calendar invites not received external
email P4 request n | signature :: company signature template update
email P3 incident y | owa :: webmail login page error
email P4 request n | lista distributie :: va rog adaugati in lista de distributie
email P3 incident y | Outlook synchronisiert keine neuen E-Mails mehr
email P4 request n | merci de créer une boîte partagée pour l'équipe support
email P4 question y | cómo configuro el correo del trabajo en mi móvil
`;

export const NETWORK_WORKPLACE = `
network P3 incident y | globalprotect says gateway not found when I try to connect
network P3 incident y | anyconnect drops every 10 minutes when I work from home
network P2 incident n | can't connect to vpn at all, I'm at home and need the client system today
network P4 question y | how do I install cisco anyconnect on my new laptop
network P3 incident n | the guest wifi in the lobby doesn't let anyone connect
network P3 incident n | wifi signal on the 5th floor is very weak near the windows
network P3 incident n | I can't reach the internal gitlab from the office network but it works over vpn
network P4 request n | please open firewall access from our aws vpc to the on-prem database
network P3 incident n | the S: drive is not showing up since this morning
network P3 incident y | my home internet works but nothing internal loads on vpn
network P1 incident n | vpn is down for everyone, nobody can connect
network P3 incident n | internal websites are not resolving, dns error
network P4 request n | need a network cable and a port activated for the new desk
network P3 incident n | remote desktop to the build server keeps freezing
network P4 question y | what's the address of the vpn portal
network P3 incident n | zoom calls are choppy for everyone in the office today
network P4 request n | please whitelist the client's ip range on our firewall
network P3 incident y | vpn :: globalprotect not connecting portal error
network P3 incident n | vpn disconnect :: vpn drops frequently connection unstable
network P4 request n | firewall change :: allow traffic application servers new subnet https
network P4 request y | vpn client :: install vpn client configuration new laptop
network P3 incident n | network drive :: mapped drive disconnected cannot access files
network P3 incident n | wifi :: corporate wifi authentication failed certificate
network P3 incident n | internet :: internet slow whole floor
network P4 request n | dns :: create dns record new server
network P4 request n | ip :: reserve ip address printer
network P3 incident n | rdp :: remote desktop cannot connect server timeout
network P4 request n | proxy :: website blocked proxy allow
network P4 request n | vpn tunnel :: site site tunnel client configuration
network P3 incident n | connection :: cannot connect client environment network
network P3 incident n | switch :: network switch port down meeting room
network P3 incident n | retea :: nu am internet la birou pe cablu
network P3 incident y | VPN verbindet sich nicht, Fehler bei der Anmeldung
network P3 incident y | le wifi se déconnecte sans arrêt sur mon portable
network P3 incident n | no puedo acceder a la unidad de red compartida
`;

export const SECURITY_WORKPLACE = `
security P3 incident n | got an email pretending to be the ceo asking me to buy gift cards
security P2 incident n | I think I typed my okta password into a fake login page
security P3 incident n | weird text message asking me to confirm an mfa code I didn't request
security P2 incident n | someone stole my backpack with my work laptop in it
security P2 incident n | I left my company phone in a taxi last night
security P3 incident n | antivirus popup says it quarantined a trojan
security P3 incident n | I keep getting mfa approval requests in the middle of the night
security P3 incident n | I shared a drive link publicly by mistake and it has client data
security P1 incident n | several colleagues got the same phishing mail and two of them clicked it
security P3 incident n | a supplier's mailbox seems hacked, they sent us a strange invoice link
security P4 question n | is it ok to use my personal usb stick for work files
security P3 incident n | my browser homepage changed and there are new toolbars I didn't install
security P2 incident n | I opened an attachment from an unknown sender and now my files have weird extensions
security P4 request n | can you check this email, I'm not sure it's legit
security P3 incident n | I got a password reset email I never asked for
security P3 incident n | phishing :: suspicious email link credentials
security P3 incident n | spam :: spam emails increasing unknown senders attachments
security P2 incident n | stolen laptop :: laptop stolen police report attached
security P2 incident n | lost device :: lost mobile remote wipe
security P3 incident n | malware :: malware detected endpoint protection alert
security P3 incident n | suspicious login :: sign attempt unknown location alert
security P2 incident n | compromised :: account compromised password changed sending emails
security P3 incident n | data exposure :: file shared external wrong recipient
security P4 request n | security assessment :: vendor security questionnaire review
security P3 request n | block domain :: block phishing domain mail filter
security P4 question n | policy :: usb storage policy encryption question
security P1 incident n | incident :: multiple machines encrypted files ransom note
security P3 incident n | phishing :: am primit un email suspect cu link
security P3 incident n | verdächtige E-Mail mit Anhang erhalten, bitte prüfen
security P2 incident n | me robaron el portátil del trabajo en el tren
`;

export const PRINTING_WORKPLACE = `
printing P3 incident y | my print job has been stuck on spooling for ages
printing P3 incident n | the hp printer by the kitchen says toner low and prints faded
printing P4 question y | how do I scan a document to my email on the big copier
printing P3 incident n | the printer prints everything with black streaks
printing P4 request y | please add the new printer on floor 3 to my mac
printing P3 incident n | the follow-me printer doesn't recognise my badge
printing P2 incident n | I need to print contracts for a signing at 3pm and no printer works
printing P3 incident y | my laptop can't find any printers since the update
printing P4 request n | we need more a4 paper for the printer on the 2nd floor
printing P3 incident n | the scanner saves files as blank pages
printing P4 request n | toner :: toner delivered po log allocation printer
printing P4 request n | toner order :: order toner cartridges colour hp
printing P3 incident n | printer jam :: paper jam tray error
printing P3 incident y | print queue :: documents stuck queue cannot delete
printing P3 incident n | printer offline :: network printer offline floor
printing P4 request n | printer setup :: install network printer laptop
printing P3 incident n | scan email :: scan email not arriving smtp
printing P4 request n | printer driver :: install driver plotter
printing P3 incident n | printing error :: error printing pdf
printing P4 request n | printer move :: relocate printer new office
printing P4 question y | printing :: print double sided default settings
printing P3 incident n | imprimanta :: imprimanta nu printeaza blocaj hartie
printing P3 incident n | Drucker druckt nicht, Papierstau im Fach 2
printing P3 incident y | impossible d'imprimer, le document reste dans la file d'attente
printing P4 request n | la impresora necesita tóner nuevo
`;
