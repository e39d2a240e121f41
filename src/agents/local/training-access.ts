// Training examples written for this project (never copied from an evaluation set).
// One example a line: `<category> <priority> <intent> <self_service y|n> | <text>`.
// A mix of chat-style requests and the terse, stop-word-stripped e-mail fragments helpdesks receive.
export const ACCESS_EXAMPLES = `
access P4 question y | how can I change my windows password?
access P3 incident y | forgot my password and now I can't log in
access P3 incident y | locked out of my account after too many attempts
access P2 incident y | my account is locked and I can't work at all
access P3 incident y | locked account :: hello account locked out cannot sign thanks
access P3 incident y | my password expired and the laptop won't accept the new one
access P4 question y | where do i change my password on a mac
access P3 incident y | cannot login to okta password not accepted
access P3 incident y | sso login loop when signing into salesforce
access P3 incident n | sso :: single sign on fails error after login redirect
access P4 question y | how do I set up MFA on my new phone
access P3 incident y | got a new phone and the authenticator codes no longer work
access P3 request y | need to move my 2fa to a new device
access P2 incident n | lost my phone so I can't approve the MFA prompt and I'm locked out
access P3 incident y | not getting the mfa push notification anymore
access P4 question y | how do i register a security key for two factor
access P4 request n | please grant me access to the finance shared drive
access P4 request n | need read access to the hr sharepoint site
access P4 request n | remove user from distribution and ad groups he moved team
access P4 request n | permission :: hi need permission edit files thanks
access P3 request n | need admin rights on my laptop to install drivers
access P4 request n | local admin :: hi please grant administrator rights machine regards developer
access P4 request n | new starter monday needs laptop account and email
access P4 request n | new joiner form :: new joiner details start date location manager please create ad account
access P4 request n | onboarding a new hire next week please set up her accounts
access P4 request n | leaver form :: leaving date forwarder mailbox disable ad account remove licences
access P4 request n | employee leaving friday please disable his accounts and access
access P4 request n | offboarding request for contractor ending contract this week
access P3 request n | external user needs access to our teams channel asap
access P4 request n | account creation for the new contractor in oracle
access P4 request n | need access to oracle fusion purchasing module
access P4 request n | please enable my github account in the company org
access P3 incident n | access denied when opening the sales folder today
access P3 incident n | permission denied :: hello getting permission denied error folder worked yesterday
access P3 incident y | cannot sign in :: cannot sign account says incorrect password tried several times
access P2 incident y | locked out and I have a client call in 10 minutes
access P4 request n | change of role please update my permissions to the new department
access P4 request n | vpn account :: please create vpn access new employee
access P4 request n | service account needed for the integration with read permissions
access P4 request n | please unlock account for user he returned from maternity leave
access P4 request n | grant access repository bitbucket please
access P4 question n | who approves access to the payroll system
access P4 request n | badge not working for system login smart card pin blocked
access P3 incident y | my pin is blocked on the smart card reader
access P4 request n | accounts :: hi please create accounts for new team members listed below
access P4 request n | adobe account access for the design team
access P4 request n | owner of the teams site left please make me owner
access P3 incident y | keeps asking for my password in outlook and teams
access P4 request n | approve access request pending in portal
access P4 request n | enable remote access for new employee starting monday
`;

export const HARDWARE_EXAMPLES = `
hardware P3 incident n | my laptop screen is cracked
hardware P3 incident n | laptop won't turn on this morning
hardware P2 incident n | laptop dead won't boot and I have a presentation today
hardware P3 incident n | keyboard keys stopped working on my laptop
hardware P3 incident n | external monitor not detected through the dock
hardware P3 incident n | docking station :: dock hi monitors flicker dock stopped working thanks
hardware P3 incident n | monitor flickering and goes black every few minutes
hardware P4 request n | can I get a second monitor for my desk
hardware P4 request n | need a new headset the microphone is broken
hardware P4 request n | allocation :: please allocate laptop user asset thanks
hardware P4 request n | new laptop request for the new developer
hardware P4 request n | laptop request :: hi need new laptop current old slow thanks
hardware P3 incident n | laptop overheating and fan very loud
hardware P3 incident n | battery drains in an hour and laptop shuts down
hardware P3 incident n | laptop charger stopped working
hardware P4 request n | need a replacement charger for my macbook
hardware P3 incident n | my desk phone has no dial tone
hardware P4 request n | mobile phone :: hi need new mobile phone device subscription thanks
hardware P4 request n | new mobile device for sales rep with company sim
hardware P3 incident n | phone screen broken need repair
hardware P3 incident n | webcam not working in meetings on my laptop
hardware P3 incident n | usb ports not working on the laptop
hardware P3 incident n | trackpad not responding
hardware P3 incident n | hard drive making clicking noise
hardware P4 request n | server request :: please provide new server hardware project environment
hardware P4 request n | need more ram in my workstation
hardware P4 request n | upgrade memory :: hi please upgrade memory laptop slow regards
hardware P3 incident n | docking station not charging laptop
hardware P4 request n | return equipment :: hello returning laptop charger please collect thanks
hardware P4 request n | collect old hardware from leaver desk
hardware P4 question n | where do i return my old laptop
hardware P4 request n | projector in the meeting room needs a new lamp
hardware P3 incident n | screen :: screen black laptop broken hi please help
hardware P3 incident n | laptop broken :: hello laptop broken dropped screen cracked thanks
hardware P4 request n | adapter :: need usb c adapter hdmi thanks
hardware P4 request n | hdmi adapter for presentation room
hardware P3 incident n | blue screen on boot :: laptop bsod every start hi please check
hardware P3 incident n | workstation keeps restarting randomly
hardware P4 request n | ergonomic keyboard request per occupational health
hardware P4 request n | delivery note po attached please register the laptops in inventory
hardware P3 incident n | grinding noise from the laptop fan and it gets very hot
hardware P4 request n | replace laptop battery swollen
hardware P2 incident n | laptop won't power on and I cannot work at all
`;

export const SOFTWARE_EXAMPLES = `
software P4 question y | how do i install software from the company portal
software P4 question y | where can I download office
software P4 request n | need an adobe acrobat pro license
software P4 request n | licence renewal for intellij ultimate
software P3 incident n | license expired :: license expiration hi software says license expired cannot work
software P3 incident n | excel crashes whenever I open the budget file
software P3 incident n | word keeps crashing when saving documents
software P3 incident n | teams keeps crashing on startup
software P3 incident y | teams is very slow and freezes during calls
software P3 incident y | onedrive not syncing my files
software P3 incident y | onedrive sync :: sync error files pending upload hi please help
software P3 incident y | sharepoint files won't open in desktop app
software P3 incident n | windows update failed with error 0x80070005
software P3 incident n | windows license on the laptop :: product key blocked activation failed
software P3 incident n | office activation error says unlicensed product
software P4 request n | update java to latest version please
software P4 request n | upgrade :: hi please upgrade application latest version thanks
software P4 request n | please change the template in the crm for quotes
software P4 request n | servicenow configuration :: hello please configure component servicenow assignment group
software P3 incident n | application error :: hi application shows error when saving thanks
software P3 incident n | sap transaction fails with runtime error
software P3 incident n | the erp module throws an error after update
software P3 incident y | laptop is really slow since the last update
software P3 incident y | computer very slow :: slow hi laptop slow apps take long open
software P3 incident n | outlook add-in for crm not loading
software P4 question y | how do I clear the browser cache in chrome
software P4 question y | how do i share a file from onedrive
software P3 incident n | zoom crashes when sharing screen
software P3 incident n | vs code extensions fail to install proxy error
software P4 request n | docker desktop install please for development
software P4 request n | python install :: hello please install python packages admin needed
software P3 incident y | disk full warning cannot save files
software P3 incident n | database server slow queries timing out on test environment
software P4 request n | new environment :: please configure environment deployment pipeline jenkins
software P3 incident n | jenkins build failing agent offline
software P3 incident n | antivirus blocking our application from starting
software P4 request n | uninstall :: hello please remove software laptop thanks
software P4 question y | how can I restore a previous version of a file in sharepoint
software P3 incident y | adobe reader won't open pdf files
software P3 incident n | mac os update stuck installing
software P4 request n | need visio installed for diagrams
software P3 incident n | crm system error when creating new opportunity
software P3 incident n | crashes :: application crashes every time open report please check
software P4 request n | power bi pro license for dashboards
software P3 incident y | teams camera not detected in the app but works elsewhere
software P4 request n | access to software catalog item please deploy tool
software P3 incident n | screen timeout :: screen lock timeout changed too short please change default
`;

export const NETWORK_EXAMPLES = `
network P4 question y | how do I set up VPN on my Mac?
network P4 question y | how do i connect to the vpn from home
network P3 incident y | vpn keeps disconnecting every few minutes
network P2 incident n | vpn not connecting at all and I need to work from home today
network P3 incident y | vpn :: vpn connection fails error hi please help
network P3 incident n | cannot connect vpn :: cannot connect vpn authentication failed
network P4 question y | what is the wifi password for guests
network P3 incident y | wifi keeps dropping in the office
network P3 incident y | can't connect to corporate wifi on my laptop
network P1 incident n | internet is down for the whole office
network P1 incident n | network outage in the building nobody can connect
network P3 incident n | internet very slow today for everyone on our floor
network P3 incident n | network drive not accessible :: cannot map network drive error path
network P3 incident y | cannot map the shared network drive
network P4 question y | how do i map a network drive
network P3 incident n | dns not resolving internal sites
network P4 request n | firewall rule :: please open port firewall source destination
network P4 request n | related with routing :: re connect environment require amend routing configuration source destination port
network P4 request n | please whitelist ip range for the client vpn tunnel
network P4 request n | request access to system :: has assigned hello please log assign queue network
network P3 incident n | remote desktop connection fails to the server
network P3 incident n | cannot rdp to my workstation from home
network P4 request n | network port :: please activate network port desk cable
network P3 incident n | ethernet not working at my desk
network P3 incident n | no internet connection :: hi no internet connection laptop cable
network P4 request n | new site-to-site tunnel for the partner connection
network P3 incident n | proxy blocks access to the supplier website
network P4 request n | please unblock the website for our team
network P3 incident y | mac vpn :: vpn mac cannot connect after update
network P3 incident n | ssh connection to server times out
network P4 request n | static ip request for the lab device
network P3 incident n | meeting room wifi access point offline
network P3 incident n | connection lost :: connection drops server environment hello
network P4 question y | how to connect to the office wifi with my phone
network P3 incident y | wireless :: wireless hi not connecting laptop office thanks
network P3 incident n | citrix remote connection error cannot launch desktop
`;
