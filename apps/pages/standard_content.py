"""The text of the accessibility statement, privacy notice and cookies page, as first published.

Editors change them in Wagtail afterwards; this is only what a new hub starts with. The contact
address is the partnership business unit's shared mailbox (a demo address until a partnership
sets its own).
"""

CONTACT = "safeguarding.partnership@example.org"
CONTACT_LINK = f'<a href="mailto:{CONTACT}">{CONTACT}</a>'

ACCESSIBILITY = f"""
<p>This accessibility statement applies to the Safeguarding Partnership Hub: its public pages (news, the
awareness calendar, the document library, search) and the pages partners use after signing in (training
bookings, the learning record, partner forms and the content management system).</p>
<p>The Safeguarding Children Partnership runs this service. We want as many people as possible to be able to use
it. For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using your browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole service using just a keyboard</li>
<li>navigate most of the service using speech recognition software</li>
<li>listen to most of the service using a screen reader (including the most recent versions of JAWS, NVDA and
VoiceOver)</li>
</ul>
<p>We have also made the text as simple as possible to understand.
<a href="https://mcmw.abilitynet.org.uk/">AbilityNet</a> has advice on making your device easier to use if you
have a disability.</p>
<h2>How accessible this service is</h2>
<p>The service is built with the GOV.UK Design System. We know some parts are not fully accessible:</p>
<ul>
<li>some documents in the document library are PDF files that are not tagged, so screen reader software may not
read them in the right order</li>
<li>the content management system that the partnership business unit uses to write news is a third-party product
whose editing screens we have not fully tested</li>
<li>some news articles link to other organisations' websites, which we do not control</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, like accessible PDF, large print, easy read,
audio recording or braille, e-mail the partnership business unit at {CONTACT_LINK}.</p>
<p>We'll consider your request and get back to you in 10 working days.</p>
<h2>Reporting accessibility problems with this service</h2>
<p>We're always looking to improve the accessibility of this service. If you find any problems not listed on this
page or think we're not meeting accessibility requirements, e-mail {CONTACT_LINK}. Tell us the web address of the
page, what the problem is, and the browser and any assistive technology you use.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you're not
happy with how we respond to your complaint, contact the
<a href="https://www.equalityadvisoryservice.com/">Equality Advisory and Support Service (EASS)</a>.</p>
<h2>Technical information about this service's accessibility</h2>
<p>The Safeguarding Children Partnership is committed to making its website accessible, in accordance with the
Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due
to the non-compliances listed below.</p>
<h3>Non-accessible content</h3>
<p>The content listed below is non-accessible for the following reasons.</p>
<p>Non-compliance with the accessibility regulations:</p>
<ul>
<li>Some PDF documents in the document library are not tagged, so their headings and reading order are not
available to assistive technology. This fails WCAG 2.2 success criterion 1.3.1 (info and relationships). When we
publish a new version of a document we check that it is accessible, and we plan to replace every untagged
document by the time it is next reviewed.</li>
<li>We have not yet fully tested the editing screens of the content management system, which only partnership
staff use. We plan to test them with a keyboard and a screen reader and to publish what we find.</li>
</ul>
<h3>Disproportionate burden</h3>
<p>We are not claiming that fixing any of the problems above would be a disproportionate burden.</p>
<h2>What we're doing to improve accessibility</h2>
<p>Every page of the service is checked with the axe-core accessibility engine in a real browser each time the
service changes, and the main journeys (reading news, searching, booking training, sharing information with the
police) are tested with a keyboard. A change that adds an accessibility failure is not released.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on 1 November 2026. It was last reviewed on 1 November 2026.</p>
<p>This website was last tested on 1 November 2026 against the WCAG 2.2 AA standard. The test was carried out by
the partnership's digital team: every page was checked automatically with axe-core, and the main journeys were
checked by hand with a keyboard, at 400% zoom and on a small screen.</p>
"""

PRIVACY = f"""
<p>This notice explains what information the Safeguarding Partnership Hub holds about you, why, who can see it,
how long we keep it, and your rights.</p>
<h2>Who we are</h2>
<p>The Safeguarding Children Partnership is made up of the council, the police and the health service, working
with schools, early years settings and the voluntary sector. The three safeguarding partners are joint data
controllers for the information in the hub. You can contact the partnership's data protection lead through the
business unit at {CONTACT_LINK}.</p>
<h2>What we collect</h2>
<ul>
<li>If you subscribe to a document or a category of documents: your e-mail address and what you subscribed to.</li>
<li>If you have an account: your name, e-mail address, job title, organisation, the roles you hold, and when you
signed in.</li>
<li>If you book training: your bookings, attendance, any access needs you tell us about, certificates and your
learning record.</li>
<li>If you share information through a partner form or the early help record: what you submit, which may include
information about children, adults and families, including health and criminal offence information.</li>
<li>For everyone who signs in: an audit record of each protected record viewed or changed, with the time, the
internet (IP) address and the request it was part of.</li>
</ul>
<h2>Why we use it, and our lawful basis</h2>
<p>We use information about partners to run the service and the partnership's training. The lawful basis is
public task (UK GDPR Article 6(1)(e)): the partners' statutory duties under the Children Act 2004 to make
arrangements to safeguard and promote the welfare of children.</p>
<p>Information about children and families is shared between agencies to safeguard children, as Working Together
to Safeguard Children 2023 expects. The lawful basis is public task (UK GDPR Article 6(1)(e)). Special category
information (such as health) is processed for reasons of substantial public interest: safeguarding of children
and of individuals at risk (Data Protection Act 2018, Schedule 1, paragraph 18). Criminal offence information is
processed under the same condition. The Data Protection Act 2018 does not stop information being shared to keep a
child safe, and practitioners do not need a family's consent to share when consent would put a child at risk.</p>
<p>To find whether agencies are working with the same family, the hub compares names, dates of birth and
addresses across agencies' records. Matches the hub is unsure of are checked by a person in the Supporting Families
team, and a match only links records: it never makes a decision about a family.</p>
<h2>Who can see it</h2>
<p>Only people whose role needs it: for example, a partner form is seen by the team it is sent to, and a family's
early help record by the practitioners working with that family. Every time someone views or changes a protected
record, the hub keeps an audit record of who did it, when and why, which cannot be altered.</p>
<h2>How long we keep it</h2>
<ul>
<li>Subscriptions: until you unsubscribe. Subscriptions that are never confirmed are deleted after 7 days.</li>
<li>Accounts and learning records: while you have an account, and for 6 years after it is closed.</li>
<li>Partner forms and early help records: in line with each partner's retention schedule for safeguarding
records.</li>
<li>The audit trail: for as long as the records it describes, so that every access can be checked.</li>
</ul>
<h2>Your rights</h2>
<p>You can ask for a copy of the information we hold about you, ask us to correct it, and in some cases ask us to
delete or restrict it or object to its use. Some rights do not apply where information is held to safeguard a
child. To use your rights, e-mail {CONTACT_LINK}.</p>
<p>If you are unhappy with how we have used your information, you can
<a href="https://ico.org.uk/make-a-complaint/">complain to the Information Commissioner's Office</a>.</p>
<h2>Cookies</h2>
<p>The hub uses only the cookies it needs to work. <a href="/cookies/">Read about the cookies we use</a>.</p>
"""

COOKIES = """
<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
<p>The Safeguarding Partnership Hub only uses cookies that are essential for it to work. We do not use analytics,
advertising or any other cookies that track you, so we do not ask for your consent.</p>
<h2>Essential cookies</h2>
<ul>
<li><strong>sessionid</strong>: keeps you signed in, so that you do not have to sign in on every page. It expires
after 8 hours or when you sign out.</li>
<li><strong>csrftoken</strong>: protects the forms you fill in from being sent by another website pretending to be
you. It expires after 1 year.</li>
<li><strong>messages</strong>: shows you a message once, for example that a change was saved. It expires when you
close your browser.</li>
</ul>
<h2>If you edit the website</h2>
<p>Partnership staff who write news in the content management system also get:</p>
<ul>
<li><strong>wagtail_sidebar_collapsed</strong>: remembers whether you closed the editing menu. It expires when you
close your browser.</li>
</ul>
"""

STANDARD_PAGES = [
    {
        "slug": "accessibility-statement",
        "title": "Accessibility statement",
        "intro": "How accessible the Safeguarding Partnership Hub is, and how to report a problem.",
        "body": ACCESSIBILITY,
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "intro": "What information the hub holds, why, and your rights.",
        "body": PRIVACY,
    },
    {"slug": "cookies", "title": "Cookies", "intro": "The hub uses essential cookies only.", "body": COOKIES},
]
