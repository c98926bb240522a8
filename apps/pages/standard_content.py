"""The text of the accessibility statement, privacy notice and cookies page, as first published.

Editors change them in Wagtail afterwards; this is only what a new hub starts with.
"""

ACCESSIBILITY = """
<p>This accessibility statement applies to the Safeguarding Partnership Hub: its public pages (news, the
awareness calendar, documents) and the pages partners use after signing in.</p>
<p>The Safeguarding Children Partnership runs this service. We want as many people as possible to be able to use
it. For example, that means you should be able to:</p>
<ul>
<li>change colours, contrast levels and fonts using your browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole service using just a keyboard</li>
<li>navigate most of the service using speech recognition software</li>
<li>listen to most of the service using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)</li>
</ul>
<p>We have also made the text as simple as possible to understand. AbilityNet has advice on making your device
easier to use if you have a disability.</p>
<h2>How accessible this service is</h2>
<p>The service is built with the GOV.UK Design System, and every page is checked with the axe-core accessibility
engine in an automated browser each time the service changes. We know some parts are not fully accessible:</p>
<ul>
<li>some older documents in the document library are PDFs that may not be fully accessible to screen reader software</li>
<li>some news articles link to other organisations' websites, which we do not control</li>
</ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, like accessible PDF, large print, easy read,
audio recording or braille, contact the partnership business unit. We will consider your request and get back to
you in 10 working days.</p>
<h2>Reporting accessibility problems with this service</h2>
<p>We are always looking to improve the accessibility of this service. If you find any problems not listed on this
page or think we are not meeting accessibility requirements, contact the partnership business unit.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites
and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the 'accessibility regulations'). If you are not
happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).</p>
<h2>Technical information about this service's accessibility</h2>
<p>The Safeguarding Children Partnership is committed to making its website accessible, in accordance with the
Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due
to the non-compliances listed below.</p>
<h3>Non-accessible content</h3>
<p>Some PDF documents published before this service began are not fully accessible. We plan to replace each of
them with an accessible version when it is next reviewed. New documents will meet accessibility standards.</p>
<h2>How we tested this service</h2>
<p>Every page is tested automatically with axe-core in a headless browser whenever the service changes, and
journeys such as booking training and submitting a form are tested with the keyboard.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was prepared on 1 November 2026. It was last reviewed on 1 November 2026.</p>
"""

PRIVACY = """
<p>This notice explains what information the Safeguarding Partnership Hub holds about you, why, and your rights.</p>
<h2>Who we are</h2>
<p>The Safeguarding Children Partnership is made up of the council, the police and the health service, working
with schools, early years settings and the voluntary sector. The partners are joint data controllers for the
information in the hub.</p>
<h2>What we collect</h2>
<ul>
<li>If you subscribe to documents: your e-mail address and what you subscribed to.</li>
<li>If you have an account: your name, e-mail address, job title, organisation, the roles you hold, and a record of
when you signed in.</li>
<li>If you book training: your bookings, attendance, access needs you tell us about, certificates and your learning
record.</li>
<li>If you share information through a partner form or the early help record: what you submit, which may include
information about children, adults and families.</li>
</ul>
<h2>Why we use it, and our lawful basis</h2>
<p>We use information about partners to run the service and the partnership's training. Information about children
and families is shared to safeguard and promote the welfare of children, under the partners' statutory duties in
the Children Act 1989 and 2004 and Working Together to Safeguard Children 2023. The lawful basis is public task
(UK GDPR Article 6(1)(e)); special category data is processed for reasons of substantial public interest
(safeguarding of children and individuals at risk, Data Protection Act 2018 Schedule 1 paragraph 18).</p>
<h2>Who can see it</h2>
<p>Only people whose role needs it. Every time someone views or changes a protected record, the hub keeps an audit
record of who did it and when.</p>
<h2>How long we keep it</h2>
<p>Subscriptions are kept until you unsubscribe. Account and learning records are kept while you have an account
and for 6 years after. Safeguarding records are kept in line with each partner's retention schedule.</p>
<h2>Your rights</h2>
<p>You can ask for a copy of your information, ask us to correct it, and in some cases ask us to delete or restrict
it or object to its use. Contact the partnership business unit. You can also complain to the Information
Commissioner's Office.</p>
"""

COOKIES = """
<p>Cookies are small files saved on your phone, tablet or computer when you visit a website.</p>
<p>The Safeguarding Partnership Hub only uses cookies that are essential for it to work. We do not use analytics
or advertising cookies, so we do not ask for your consent.</p>
<h2>Essential cookies</h2>
<ul>
<li><strong>sessionid</strong>: keeps you signed in. It expires after 8 hours or when you sign out.</li>
<li><strong>csrftoken</strong>: protects forms from being submitted by other websites. It expires after a year.</li>
<li><strong>messages</strong>: shows you a message once, for example that a change was saved. It expires when you close your browser.</li>
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
