app-name = Baqsha
app-subtitle = Kindergarten queue
demo-badge = DEMO: the data is fictional
nav-registry = Kindergartens list
nav-section-title = Sections
lang-switch = Language

sign-in-title = Sign in
sign-in-intro = The desk of the education department and kindergarten staff
sign-in-login = Login
sign-in-password = Password
sign-in-submit = Sign in
sign-in-busy = Checking…
sign-in-demo = Demo accounts
sign-in-demo-use = Fill in
sign-out = Sign out
role-regional_admin = Regional administrator
role-department_operator = Education department operator
role-kindergarten_staff = Kindergarten staff

search-label = Search
search-placeholder = Search by name or address
filter-language = Language of instruction
filter-kind = Kind of kindergarten
filter-district = District / city
filter-all = All
filter-reset = Clear filters
sort-label = Sort
sort-name = By name
sort-district = By district
sort-free_places = By free places
view-list = List
view-map = On the map

lang-kk = Kazakh
lang-ru = Russian
lang-mixed = mixed
kind-state = State
kind-private_state_order = Private (state order)
kind-private = Private

col-name = Name
col-district = District
col-address = Address
col-languages = Language of instruction
col-free = Free places
results-count = { $total ->
    [one] { $total } kindergarten found
   *[other] { $total } kindergartens found
}
page-prev = ← Previous
page-next = Next →
page-range = { $from }–{ $to } of { $total }
empty-title = No kindergarten found
empty-hint = Change the words you searched for or the filters.
loading = Loading…
retry = Try again

passport-title = Kindergarten passport
passport-back = ← Back to the list
passport-head = Head
passport-phone = Phone
passport-email = E-mail
passport-hours = Opening hours
passport-address = Address
passport-capacity = Design capacity
passport-free = Free places
passport-queue = Children in the queue
passport-queue-first = of them as first choice: { $n }
passport-enrolled = Children enrolled
passport-groups = Groups
passport-programmes = Educational programmes
passport-equipment = Equipment
passport-no-groups = No groups entered yet.
passport-none = not given
passport-on-map = Show on the map
group-name = Group
group-age = Age
group-language = Language
group-capacity = Places
group-enrolled = Children
group-open = Free
age-band = { $from }–{ $to } years
places = { $n ->
    [one] { $n } place
   *[other] { $n } places
}
children = { $n ->
    [one] { $n } child
   *[other] { $n } children
}

map-title = Kindergartens on the map
map-note = The map works without the internet: click a marker to open the passport.
map-legend-free = has free places
map-legend-none = no free places
map-shown = On the map: { $n }

error-title = Error
error-internal = Something went wrong inside. Try again; if it happens again, tell the administrator.
error-bad-credentials = Wrong login or password.
error-not-signed-in = Your session has ended. Sign in again.
error-denied = You are not allowed to do this.
error-not-found = The record was not found.
error-invalid-input = The field “{ $field }” is not filled in correctly.
error-rule = Refused by the rules: { $detail }
error-required = Fill in this field.

iin-length = An IIN has 12 digits; { $found } were typed.
iin-non-digit = An IIN has only digits.
iin-century = The 7th digit of an IIN (century and sex) must be 1 to 6; { $found } was typed.
iin-date = The first six digits of the IIN are not a real date of birth.
iin-check = The IIN's check digit does not match (it should be { $expected }): check the number.
iin-never-issued = No such IIN is ever issued: check the number.
phone-empty = Type a mobile phone number.
phone-characters = A number may have only digits, spaces, brackets, dashes and a leading +.
phone-length = A mobile number has 11 digits starting with 8 or 7; { $digits } were typed.
phone-country = This is not a Kazakhstan number (+7 or 8).
phone-not-mobile = { $prefix } is not a mobile operator's code.
email-empty = Type an e-mail address.
email-at = An address has exactly one @.
email-local = The part before @ is empty or has characters an address cannot have.
email-domain = The part after @ must be a domain such as mail.kz.
email-too-long = The address is too long (over 254 characters).

startup-failed = Baqsha could not start
startup-not-database = The file { $path } is not a Baqsha database. It was left unchanged.
startup-corrupt = The database { $path } is damaged. It was left unchanged: restore it from a backup or tell the administrator.
startup-newer = The database { $path } was written by a newer Baqsha. Update the program. The file was left unchanged.
startup-other = The database could not be opened: { $detail }

## Documents
doc-application-title = CERTIFICATE OF A PLACE IN THE QUEUE
doc-application-number = Application number: { $number }
doc-registered-at = Registered on
doc-status = Status
doc-status-queued = In the queue
doc-status-referred = Referral issued
doc-status-enrolled = Admitted to a kindergarten
doc-status-withdrawn = Withdrawn from the queue
doc-status-archived = Archived (school age)
doc-category = Age category (year of birth)
doc-child = Child
doc-full-name = Full name
doc-birth-date = Date of birth
doc-iin = IIN
doc-wishes = Chosen kindergartens and language
doc-preference = Choice { $n }
doc-language = Language of instruction
doc-benefit = Benefit
doc-benefit-none = none (general queue)
doc-verification-pending = being checked
doc-verification-confirmed = confirmed
doc-verification-rejected = not confirmed: general queue
doc-position-on = Place in the queue (on { $date })
doc-position = Number in the queue
doc-position-why = Ahead: { $ahead } — { $outOfTurn } out of turn, { $priority } priority, { $general } general.
doc-position-none = The application is not in the queue.
doc-history = History of the application
doc-history-when = Date
doc-history-what = Event
doc-history-who = Who
doc-printed-at = Printed on { $when }.
benefit-military_serviceman = Child of a military serviceman
benefit-special_state_body = Child of an employee of a special state body
benefit-died_or_missing_in_service = Child of an employee who died or went missing in service
benefit-orphan = Orphan or child without parental care
benefit-large_family = Child of a large family
benefit-special_needs = Child with special educational needs
benefit-parent_disabled = Child whose legal representative has a disability
benefit-teacher_child = Child of a teacher
doc-referral-title = CERTIFICATE FOR ADMISSION — REFERRAL
doc-referral-number = Referral number: { $number }
doc-issued-at = Issued on
doc-valid-until = Valid until (inclusive)
doc-kindergarten = Kindergarten
doc-kindergarten-name = Name
doc-parent = Parent (legal representative)
doc-referral-terms = Referral
doc-referral-validity = The referral is valid for { $days } working days from the moment it is taken (until { $date } inclusive). Within that time:
doc-referral-duty-1 = come to the chosen kindergarten with the required documents,
doc-referral-duty-2 = give the referral number received by SMS,
doc-referral-duty-3 = go through admission to the kindergarten.
doc-referral-benefit-note = If you have a benefit, confirm it when you come to the kindergarten by presenting the documents to the education department.
doc-admission-documents = DOCUMENTS FOR ADMISSION
doc-admission-intro = For admission to the kindergarten, present these documents:
doc-admission-1 = an identity document of one parent or legal representative (for identification);
doc-admission-2 = the child's birth certificate (for identification);
doc-admission-3 = the child's health passport, form 026/у-3, per the instruction approved by order No. 469 of the Minister of Health of the Republic of Kazakhstan of 24 June 2003 (registered under No. 2423 in the register of normative legal acts);
doc-admission-4 = a certificate of the child's state of health;
doc-admission-5 = the conclusion of the psychological-medical-pedagogical consultation (for children with special educational needs).
doc-referral-qr = Check it is genuine: Baqsha, "Check a referral"
doc-issued-by = Issued by

## Printed lists
doc-list-printed = Printed: { $when }
doc-list-empty = No entries match the chosen filters.
doc-list-total = Total: { $count }
doc-bulletin-title = VACANCY BULLETIN — { $date }
doc-referrals-title = ISSUED REFERRALS — { $from } – { $to }
doc-queue-title = APPLICATION QUEUE — BORN IN { $year } (as of { $date })
doc-col-district = District
doc-col-kindergarten = Kindergarten
doc-col-group = Group
doc-col-age = Age
doc-col-language = Language
doc-col-places = Places
doc-col-published = Published
doc-col-referral = Referral no.
doc-col-issued = Issued
doc-col-child = Child
doc-col-status = Status
doc-col-valid-until = Valid until
doc-col-position = No.
doc-col-number = Application no.
doc-col-registered = Registered
doc-col-tier = Queue
doc-referral-status-issued = issued
doc-referral-status-confirmed = confirmed
doc-referral-status-extended = extended
doc-referral-status-admitted = admitted
doc-referral-status-expired = expired
doc-referral-status-refused = refused
tier-out_of_turn = out of turn
tier-priority = priority
tier-general = general

## Printing and checking referrals
doc-department-of = Education department: { $place }
doc-department-region = Regional education authority
error-save-failed = The document was not saved ({ $path }): { $detail }
error-cancelled = Cancelled.
nav-print = Print lists
nav-check = Check a referral
print-title = Print lists
print-intro = The document is saved as a PDF in "Documents\Baqsha" and opened in the viewer; print from there.
print-doc-language = Document language
print-district = District
print-all-districts = All districts
print-bulletin = Vacancy bulletin
print-bulletin-date = Date
print-referrals = Issued referrals
print-from = From
print-to = To
print-queue = Application queue
print-category = Age category (birth year)
print-button = Print
print-save-as = Save as…
print-working = Preparing the document…
print-saved = Saved: { $path } ({ $rows } entries).
print-opened = The document is open in the viewer.
print-not-opened = The viewer did not open: open the file yourself.
print-bad-dates = The period cannot start after it ends.
check-title = Check a referral
check-intro = Scan the referral's QR code or paste its text here. The check works offline.
check-text = QR code text
check-iin = Child's IIN (optional)
check-run = Check
check-image = Open a scan (PNG, JPEG)
check-working = Checking…
check-valid = The referral is genuine
check-valid-detail = No. { $number }, issued { $issued }, valid until { $until }.
check-issuer-self = Issued by this office.
check-issuer = Issued by: { $issuer }.
check-kindergarten = Kindergarten: { $name }
check-group = Group: { $name }
check-not-in-database = The kindergarten is not in this database (a referral from another region).
check-expired = The referral has expired.
check-status = The referral's current state: { $status }
check-child-yes = The IIN matches the child of this referral.
check-child-no = The IIN does NOT match the child of this referral!
check-tampered = The referral was changed or damaged: do not trust it.
check-unknown = The referral was issued by an unknown office (key { $key }). Ask the education department.
check-not-a-seal = This text is not a referral's QR code.
check-no-code = No QR code found in the image. Scan it more clearly (at least 150 dpi).
check-bad-image = The file could not be read: choose a PNG or JPEG image.

## Rules, as the desk reads them
rule-zero-capacity = A group needs more than zero places.
rule-over-enrolled = A group cannot have more children ({ $enrolled }) than places ({ $capacity }).
rule-age-band = { $from }–{ $to } years is not a preschool age band.
rule-no-places = Publish at least one place.
rule-more-than-free = The group has { $free } free places; { $requested } cannot be published.
rule-other-kindergarten = This group belongs to another kindergarten.
rule-school-age = The child reaches school age by { $date } and cannot join the queue.
rule-not-born = By this IIN the child is not born yet.
rule-duplicate = The child already has an active application: No. { $number }.
rule-no-consent = The parent's consent is not ticked.
rule-too-many-preferences = At most { $max } kindergartens can be chosen.
rule-no-preferences = Choose at least one kindergarten.
rule-implausible-parent = A person born on { $date } cannot be this child's parent: check the IIN.
rule-transition = This is not possible in the application's current state ("{ $status }").
rule-empty-name = Surname and given name are required.
rule-reason-required = Give the reason.

## History of an application
history-register_application = Application registered
history-withdraw_application = Withdrawn from the queue
history-archive_application = Archived (school age)

## «Кезекті тексеру»
qc-title = Check the queue
qc-iin = Child's IIN
qc-search = Search
qc-none = No applications for this IIN.
qc-withdraw = Withdraw
qc-withdraw-title = Withdraw application No. { $number } from the queue
qc-withdraw-warning = The application leaves the queue. This cannot be undone: joining again registers at a new time.
qc-withdraw-reason = Reason (kept in the history)
qc-withdraw-confirm = Confirm the withdrawal
qc-cancel = Cancel

## «Өтініштер кезегі»
qs-title = Application queue
qs-kindergarten = Kindergarten
qs-range = { $first }–{ $last } of { $total }

## «Жіберілген хабарламалар»
msg-title = Sent messages
msg-intro = SMS and e-mail sent from this desk. With no gateway configured, messages are delivered here; one that could not be sent stays here with the reason and is retried.
msg-none = No messages yet.
msg-when = Time
msg-to = To
msg-text = Text
msg-state = State
msg-channel-sms = SMS
msg-channel-email = E-mail
msg-sent-local = Delivered (local)
msg-sent-smtp = Sent (mail server)
msg-sent-sms-http = Sent (SMS gateway)
msg-waiting = Waiting to be sent
msg-waiting-error = Not sent ({ $attempts } tries): { $error }. It will be retried.
msg-send-now = Send now
msg-error-unreachable = { $gateway } cannot be reached
msg-error-refused = { $gateway } refused the message
msg-error-malformed = the message is malformed (check the address)
msg-gateway-smtp = The mail server
msg-gateway-sms-http = The SMS gateway
msg-gateway-none = The gateway
history-edit_application = Application changed
qc-edit = Change
qc-edit-title = Change application No. { $number }
qc-edit-phone = Main mobile phone
qc-edit-extra-phone = Additional mobile phone
qc-edit-address = Actual address
qc-edit-address-required = Fill in the address.
qc-edit-note = The registration time does not change, so the place in the queue is kept. A new benefit is verified again.
qc-edit-save = Save
