app-name = Baqsha
app-subtitle = Очередь в детские сады
demo-badge = ДЕМО: данные вымышленные
nav-registry = Список детских садов
nav-section-title = Разделы
lang-switch = Язык

sign-in-title = Вход в систему
sign-in-intro = Рабочее место отдела образования и сотрудников детских садов
sign-in-login = Логин
sign-in-password = Пароль
sign-in-submit = Войти
sign-in-busy = Проверяем…
sign-in-demo = Демо-учётные записи
sign-in-demo-use = Заполнить
sign-out = Выйти
role-regional_admin = Региональный администратор
role-department_operator = Оператор отдела образования
role-kindergarten_staff = Сотрудник детского сада

search-label = Поиск
search-placeholder = Поиск по названию или адресу
filter-language = Язык обучения
filter-kind = Тип детского сада
filter-district = Район / город
filter-all = Все
filter-reset = Сбросить фильтры
sort-label = Сортировка
sort-name = По названию
sort-district = По району
sort-free_places = По свободным местам
view-list = Список
view-map = На карте

lang-kk = казахский
lang-ru = русский
lang-mixed = смешанный
kind-state = Государственный
kind-private_state_order = Частный (госзаказ)
kind-private = Частный

col-name = Название
col-district = Район
col-address = Адрес
col-languages = Язык обучения
col-free = Свободно
results-count = { $total ->
    [one] Найден { $total } детский сад
    [few] Найдено { $total } детских сада
   *[many] Найдено { $total } детских садов
}
page-prev = ← Назад
page-next = Далее →
page-range = { $from }–{ $to } из { $total }
empty-title = Детские сады не найдены
empty-hint = Измените слова поиска или фильтры.
loading = Загрузка…
retry = Повторить

passport-title = Паспорт детского сада
passport-back = ← К списку
passport-head = Руководитель
passport-phone = Телефон
passport-email = Электронная почта
passport-hours = Часы работы
passport-address = Адрес
passport-capacity = Проектная мощность
passport-free = Свободные места
passport-queue = Детей в очереди
passport-queue-first = из них первым выбором: { $n }
passport-enrolled = Воспитанники
passport-groups = Группы
passport-programmes = Образовательные программы
passport-equipment = Оснащение
passport-no-groups = Группы ещё не внесены.
passport-none = не указано
passport-on-map = Показать на карте
group-name = Группа
group-age = Возраст
group-language = Язык
group-capacity = Мест
group-enrolled = Детей
group-open = Свободно
age-band = { $from }–{ $to } { $to ->
    [one] год
    [few] года
   *[many] лет
}
places = { $n ->
    [one] { $n } место
    [few] { $n } места
   *[many] { $n } мест
}
children = { $n ->
    [one] { $n } ребёнок
    [few] { $n } ребёнка
   *[many] { $n } детей
}

map-title = Детские сады на карте
map-note = Карта работает без интернета: нажмите на метку, чтобы открыть паспорт.
map-legend-free = есть свободные места
map-legend-none = мест нет
map-shown = На карте: { $n }

error-title = Ошибка
error-internal = Произошла внутренняя ошибка. Повторите действие; если ошибка повторится, сообщите администратору.
error-bad-credentials = Неверный логин или пароль.
error-not-signed-in = Сеанс завершён. Войдите снова.
error-denied = У вас нет права на это действие.
error-not-found = Запись не найдена.
error-invalid-input = Поле «{ $field }» заполнено неверно.
error-rule = Отклонено по правилам: { $detail }
error-required = Заполните это поле.

iin-length = ИИН состоит из 12 цифр, введено { $found }.
iin-non-digit = ИИН состоит только из цифр.
iin-century = 7-я цифра ИИН (век и пол) должна быть от 1 до 6, введено { $found }.
iin-date = Первые шесть цифр ИИН не являются датой рождения.
iin-check = Контрольная цифра ИИН не сходится (должна быть { $expected }): проверьте номер.
iin-never-issued = Такой ИИН не выдаётся: проверьте номер.
phone-empty = Введите номер мобильного телефона.
phone-characters = В номере допустимы только цифры, пробелы, скобки, дефисы и + в начале.
phone-length = Мобильный номер — 11 цифр, начиная с 8 или 7; введено { $digits }.
phone-country = Это не казахстанский номер (+7 или 8).
phone-not-mobile = { $prefix } — не код мобильного оператора.
email-empty = Введите адрес электронной почты.
email-at = В адресе должен быть ровно один знак @.
email-local = Часть до @ пуста или содержит недопустимые символы.
email-domain = Часть после @ должна быть доменом, например mail.kz.
email-too-long = Адрес слишком длинный (больше 254 символов).

startup-failed = Программа не запустилась
startup-not-database = Файл { $path } не является базой Baqsha. Файл не изменён.
startup-corrupt = База { $path } повреждена. Файл не изменён: восстановите его из резервной копии или обратитесь к администратору.
startup-newer = База { $path } записана более новой версией Baqsha. Обновите программу. Файл не изменён.
startup-other = Не удалось открыть базу данных: { $detail }

## Documents
doc-application-title = СПРАВКА О ПОСТАНОВКЕ В ОЧЕРЕДЬ
doc-application-number = Номер заявления: { $number }
doc-registered-at = Дата и время регистрации
doc-status = Статус
doc-status-queued = В очереди
doc-status-referred = Выдано направление
doc-status-enrolled = Зачислен в детский сад
doc-status-withdrawn = Отозвано из очереди
doc-status-archived = В архиве (школьный возраст)
doc-category = Возрастная категория (год рождения)
doc-child = Ребёнок
doc-full-name = Фамилия, имя, отчество
doc-birth-date = Дата рождения
doc-iin = ИИН
doc-wishes = Выбранные детские сады и язык
doc-preference = Выбор { $n }
doc-language = Язык обучения
doc-benefit = Льгота
doc-benefit-none = нет (общая очередь)
doc-verification-pending = на проверке
doc-verification-confirmed = подтверждена
doc-verification-rejected = не подтверждена: общая очередь
doc-position-on = Место в очереди (на { $date })
doc-position = Номер в очереди
doc-position-why = Впереди { $ahead }: внеочередных { $outOfTurn }, первоочередных { $priority }, в общей очереди { $general }.
doc-position-none = Заявление не стоит в очереди.
doc-history = История движения заявления
doc-history-when = Дата
doc-history-what = Событие
doc-history-who = Кто
doc-printed-at = Справка напечатана { $when }.
benefit-military_serviceman = Ребёнок военнослужащего
benefit-special_state_body = Ребёнок сотрудника специального государственного органа
benefit-died_or_missing_in_service = Ребёнок сотрудника, погибшего или пропавшего без вести при исполнении
benefit-orphan = Ребёнок-сирота или оставшийся без попечения родителей
benefit-large_family = Ребёнок из многодетной семьи
benefit-special_needs = Ребёнок с особыми образовательными потребностями
benefit-parent_disabled = Ребёнок, законный представитель которого имеет инвалидность
benefit-teacher_child = Ребёнок педагога
doc-referral-title = СПРАВКА ДЛЯ НАЗНАЧЕНИЯ — НАПРАВЛЕНИЕ
doc-referral-number = Номер направления: { $number }
doc-issued-at = Дата и время выдачи
doc-valid-until = Действительно по (включительно)
doc-kindergarten = Детский сад
doc-kindergarten-name = Название
doc-parent = Родитель (законный представитель)
doc-referral-terms = Направление
doc-referral-validity = Направление действительно { $days } рабочих дней с момента получения (по { $date } включительно). За это время необходимо:
doc-referral-duty-1 = прийти в выбранный детский сад с требуемым пакетом документов,
doc-referral-duty-2 = сообщить номер направления, полученный по SMS,
doc-referral-duty-3 = пройти процедуру зачисления в детский сад.
doc-referral-benefit-note = Если у вас есть льгота, при посещении детского сада её необходимо подтвердить, представив соответствующие документы в отдел образования.
doc-admission-documents = ДОКУМЕНТЫ ДЛЯ ЗАЧИСЛЕНИЯ
doc-admission-intro = Для зачисления в детский сад необходимо представить следующий пакет документов:
doc-admission-1 = документ, удостоверяющий личность одного из родителей или законных представителей (для идентификации);
doc-admission-2 = документ, удостоверяющий рождение ребёнка (для идентификации);
doc-admission-3 = паспорт здоровья ребёнка по форме, предусмотренной инструкцией по заполнению и ведению учётной формы 026/у-3 «Паспорт здоровья ребёнка», утверждённой приказом Министра здравоохранения Республики Казахстан от 24 июня 2003 года № 469 (зарегистрирован в Реестре нормативных правовых актов под № 2423);
doc-admission-4 = справка о состоянии здоровья ребёнка;
doc-admission-5 = заключение психолого-медико-педагогической консультации (для детей с особыми образовательными потребностями).
doc-referral-qr = Проверка подлинности: Baqsha, «Проверка направления»
doc-issued-by = Выдал

## Printed lists
doc-list-printed = Время печати: { $when }
doc-list-empty = По выбранным фильтрам записей нет.
doc-list-total = Всего: { $count }
doc-bulletin-title = БЮЛЛЕТЕНЬ СВОБОДНЫХ МЕСТ — { $date }
doc-referrals-title = ПОЛУЧЕННЫЕ НАПРАВЛЕНИЯ — { $from } – { $to }
doc-queue-title = ОЧЕРЕДЬ ЗАЯВЛЕНИЙ — РОДИВШИЕСЯ В { $year } ГОДУ (на { $date })
doc-col-district = Район
doc-col-kindergarten = Детский сад
doc-col-group = Группа
doc-col-age = Возраст
doc-col-language = Язык
doc-col-places = Мест
doc-col-published = Опубликовано
doc-col-referral = Направление №
doc-col-issued = Выдано
doc-col-child = Ребёнок
doc-col-status = Статус
doc-col-valid-until = Срок
doc-col-position = №
doc-col-number = Заявление №
doc-col-registered = Зарегистрировано
doc-col-tier = Очередь
doc-referral-status-issued = выдано
doc-referral-status-confirmed = подтверждено
doc-referral-status-extended = продлено
doc-referral-status-admitted = принят
doc-referral-status-expired = истекло
doc-referral-status-refused = отказ
tier-out_of_turn = вне очереди
tier-priority = в первую очередь
tier-general = общая очередь

## Printing and checking referrals
doc-department-of = Отдел образования: { $place }
doc-department-region = Управление образования области
error-save-failed = Документ не сохранён ({ $path }): { $detail }
error-cancelled = Действие отменено.
nav-print = Печать списков
nav-check = Проверка направления
print-title = Печать списков
print-intro = Документ сохраняется в PDF в папку «Документы\Baqsha» и открывается в программе просмотра; печатайте оттуда.
print-doc-language = Язык документа
print-district = Район
print-all-districts = Все районы
print-bulletin = Бюллетень свободных мест
print-bulletin-date = Дата
print-referrals = Полученные направления
print-from = С
print-to = По
print-queue = Очередь заявлений
print-category = Возрастная категория (год рождения)
print-button = Печать
print-save-as = Сохранить как…
print-working = Документ готовится…
print-saved = Сохранено: { $path } (записей: { $rows }).
print-opened = Документ открыт в программе просмотра.
print-not-opened = Программа просмотра не открылась: откройте файл сами.
print-bad-dates = Начало периода не может быть позже его конца.
check-title = Проверка направления
check-intro = Отсканируйте QR-код направления или вставьте его текст сюда. Проверка работает без интернета.
check-text = Текст QR-кода
check-iin = ИИН ребёнка (необязательно)
check-run = Проверить
check-image = Открыть скан (PNG, JPEG)
check-working = Проверка…
check-valid = Направление подлинное
check-valid-detail = № { $number }, выдано { $issued }, действительно до { $until }.
check-issuer-self = Выдано этим учреждением.
check-issuer = Выдал: { $issuer }.
check-kindergarten = Детский сад: { $name }
check-group = Группа: { $name }
check-not-in-database = Детского сада нет в этой базе (направление другого региона).
check-expired = Срок действия направления истёк.
check-status = Текущее состояние направления: { $status }
check-child-yes = ИИН совпадает с ребёнком этого направления.
check-child-no = ИИН НЕ совпадает с ребёнком этого направления!
check-tampered = Направление изменено или повреждено: ему нельзя доверять.
check-unknown = Направление выдано неизвестным учреждением (ключ { $key }). Уточните подлинность в отделе образования.
check-not-a-seal = Этот текст не является QR-кодом направления.
check-no-code = На изображении не найден QR-код. Отсканируйте чётче (не менее 150 dpi).
check-bad-image = Файл не прочитан: выберите изображение PNG или JPEG.

## Rules, as the desk reads them
rule-zero-capacity = Число мест в группе должно быть больше нуля.
rule-over-enrolled = В группе не может быть детей ({ $enrolled }) больше, чем мест ({ $capacity }).
rule-age-band = { $from }–{ $to } лет — не дошкольный возраст.
rule-no-places = Опубликуйте хотя бы одно место.
rule-more-than-free = В группе { $free } свободных мест; опубликовать { $requested } нельзя.
rule-other-kindergarten = Эта группа принадлежит другому детскому саду.
rule-school-age = Ребёнок достигает школьного возраста к { $date }: в очередь не ставится.
rule-not-born = По этому ИИН ребёнок ещё не родился.
rule-duplicate = У ребёнка уже есть активное заявление: № { $number }.
rule-no-consent = Не отмечено согласие родителя.
rule-too-many-preferences = Можно выбрать не более { $max } детских садов.
rule-no-preferences = Выберите хотя бы один детский сад.
rule-implausible-parent = Человек, родившийся { $date }, не может быть родителем этого ребёнка: проверьте ИИН.
rule-transition = В текущем состоянии заявления («{ $status }») это действие невозможно.
rule-empty-name = Фамилия и имя обязательны.
rule-reason-required = Укажите причину.

## History of an application
history-register_application = Заявление зарегистрировано
history-withdraw_application = Отозвано из очереди
history-archive_application = Отправлено в архив (школьный возраст)

## «Кезекті тексеру»
qc-title = Проверка очереди
qc-iin = ИИН ребёнка
qc-search = Найти
qc-none = По этому ИИН заявлений не найдено.
qc-withdraw = Отозвать
qc-withdraw-title = Отзыв заявления № { $number } из очереди
qc-withdraw-warning = Заявление выйдет из очереди. Это действие необратимо: новая постановка будет зарегистрирована с новым временем.
qc-withdraw-reason = Причина (сохранится в истории)
qc-withdraw-confirm = Подтвердить отзыв
qc-cancel = Отмена

## «Өтініштер кезегі»
qs-title = Очередь заявлений
qs-kindergarten = Детский сад
qs-range = { $first }–{ $last } из { $total }

## «Жіберілген хабарламалар»
msg-title = Отправленные сообщения
msg-intro = SMS и e-mail, отправленные с этого рабочего места. Без настроенного шлюза сообщения доставляются сюда; неотправленные остаются здесь с причиной и отправляются повторно.
msg-none = Сообщений пока нет.
msg-when = Время
msg-to = Кому
msg-text = Текст
msg-state = Состояние
msg-channel-sms = SMS
msg-channel-email = E-mail
msg-sent-local = Доставлено (локально)
msg-sent-smtp = Отправлено (почтовый сервер)
msg-sent-sms-http = Отправлено (SMS-шлюз)
msg-waiting = Ожидает отправки
msg-waiting-error = Не отправлено ({ $attempts } раз): { $error }. Будет отправлено повторно.
msg-send-now = Отправить сейчас
msg-error-unreachable = { $gateway } недоступен
msg-error-refused = { $gateway } не принял сообщение
msg-error-malformed = сообщение составлено неверно (проверьте адрес)
msg-gateway-smtp = Почтовый сервер
msg-gateway-sms-http = SMS-шлюз
msg-gateway-none = Шлюз
history-edit_application = Заявление изменено
qc-edit = Изменить
qc-edit-title = Изменение заявления № { $number }
qc-edit-phone = Основной мобильный телефон
qc-edit-extra-phone = Дополнительный мобильный телефон
qc-edit-address = Фактический адрес
qc-edit-address-required = Заполните адрес.
qc-edit-note = Время регистрации не меняется, поэтому место в очереди сохраняется. Новая льгота проверяется заново.
qc-edit-save = Сохранить
