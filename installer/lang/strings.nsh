; Baqsha's own installer texts, in each language the installer speaks. $0 in Downgrade is the
; installed version, read just before the text is shown.

LangString NeedsAdmin ${LANG_ENGLISH} "Baqsha is installed for every user of this computer, which needs administrator rights. Start the installer again with $\"Run as administrator$\", or ask your IT administrator. Nothing was installed."
LangString NeedsAdmin ${LANG_RUSSIAN} "Baqsha устанавливается для всех пользователей компьютера, для этого нужны права администратора. Запустите установку снова через «Запуск от имени администратора» или обратитесь к администратору. Ничего не установлено."
LangString NeedsAdmin ${LANG_KAZAKH} "Baqsha осы компьютердің барлық пайдаланушысына орнатылады, ол үшін әкімші құқығы керек. Орнатуды «Әкімші ретінде іске қосу» арқылы қайта бастаңыз немесе әкімшіге хабарласыңыз. Ештеңе орнатылған жоқ."

LangString NeedsX64 ${LANG_ENGLISH} "Baqsha needs 64-bit Windows 10 or 11."
LangString NeedsX64 ${LANG_RUSSIAN} "Для Baqsha нужна 64-разрядная Windows 10 или 11."
LangString NeedsX64 ${LANG_KAZAKH} "Baqsha үшін 64 разрядты Windows 10 немесе 11 керек."

LangString Downgrade ${LANG_ENGLISH} "Baqsha $0 is installed, which is newer than this installer's ${VERSION}. Nothing was changed; to go back to an older version, uninstall Baqsha $0 first (its data is kept)."
LangString Downgrade ${LANG_RUSSIAN} "Установлена Baqsha $0 — новее, чем ${VERSION} в этом установщике. Ничего не изменено; чтобы вернуться к старой версии, сначала удалите Baqsha $0 (данные сохранятся)."
LangString Downgrade ${LANG_KAZAKH} "Компьютерде Baqsha $0 орнатылған, ол осы орнатқыштағы ${VERSION} нұсқасынан жаңа. Ештеңе өзгертілген жоқ; ескі нұсқаға оралу үшін алдымен Baqsha $0 жойыңыз (деректер сақталады)."

LangString BadServer ${LANG_ENGLISH} "The region's server address $\"$Server$\" is not a web address. Give it as /SERVER=https://server.of.the.region (http:// or https://, no spaces). Nothing was installed."
LangString BadServer ${LANG_RUSSIAN} "Адрес сервера области «$Server» — не веб-адрес. Укажите его так: /SERVER=https://сервер.области (http:// или https://, без пробелов). Ничего не установлено."
LangString BadServer ${LANG_KAZAKH} "Облыс серверінің мекенжайы «$Server» веб-мекенжай емес. Оны /SERVER=https://облыс.сервері түрінде беріңіз (http:// немесе https://, бос орынсыз). Ештеңе орнатылған жоқ."

LangString WebView2Missing ${LANG_ENGLISH} "This computer has no Microsoft Edge WebView2 Runtime, which Baqsha draws its window with. Ask your IT administrator for the WebView2 Runtime offline installer (Evergreen Standalone, x64, from Microsoft's WebView2 download page) or for a Baqsha installer that includes it, install it and run this installer again. Nothing was installed."
LangString WebView2Missing ${LANG_RUSSIAN} "На компьютере нет Microsoft Edge WebView2 Runtime, которым Baqsha рисует своё окно. Попросите у администратора автономный установщик WebView2 Runtime (Evergreen Standalone, x64, со страницы загрузки WebView2 Microsoft) или установщик Baqsha, в который он включён, установите его и запустите эту установку снова. Ничего не установлено."
LangString WebView2Missing ${LANG_KAZAKH} "Бұл компьютерде Microsoft Edge WebView2 Runtime жоқ, Baqsha терезесі соның көмегімен салынады. Әкімшіден WebView2 Runtime-тың желісіз орнатқышын (Evergreen Standalone, x64, Microsoft-тың WebView2 жүктеу бетінен) немесе оны қамтитын Baqsha орнатқышын сұраңыз, оны орнатып, осы орнатуды қайта бастаңыз. Ештеңе орнатылған жоқ."

LangString WebView2Failed ${LANG_ENGLISH} "The Microsoft Edge WebView2 Runtime bundled with this installer could not be installed. Ask your IT administrator to install it, then run this installer again. Nothing else was installed."
LangString WebView2Failed ${LANG_RUSSIAN} "Не удалось установить Microsoft Edge WebView2 Runtime из этого установщика. Попросите администратора установить его и запустите эту установку снова. Больше ничего не установлено."
LangString WebView2Failed ${LANG_KAZAKH} "Осы орнатқыштағы Microsoft Edge WebView2 Runtime орнатылмады. Әкімшіден оны орнатуды сұрап, осы орнатуды қайта бастаңыз. Басқа ештеңе орнатылған жоқ."

LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktopName ${LANG_RUSSIAN} "Ярлык на рабочем столе"
LangString SecDesktopName ${LANG_KAZAKH} "Жұмыс үстеліндегі белгіше"

LangString SecDesktopText ${LANG_ENGLISH} "A Baqsha shortcut on every user's desktop."
LangString SecDesktopText ${LANG_RUSSIAN} "Ярлык Baqsha на рабочем столе каждого пользователя."
LangString SecDesktopText ${LANG_KAZAKH} "Әр пайдаланушының жұмыс үстелінде Baqsha белгішесі."

LangString RemoveData ${LANG_ENGLISH} "Also delete this user's Baqsha data: the office's database, its seal key and settings? They cannot be recovered; choose No to keep them for a later installation."
LangString RemoveData ${LANG_RUSSIAN} "Удалить и данные Baqsha этого пользователя: базу данных отдела, ключ печати и настройки? Их нельзя будет восстановить; выберите «Нет», чтобы сохранить их для следующей установки."
LangString RemoveData ${LANG_KAZAKH} "Осы пайдаланушының Baqsha деректерін де жою керек пе: бөлімнің дерекқоры, мөр кілті және баптаулар? Оларды қалпына келтіру мүмкін емес; келесі орнатуға сақтау үшін «Жоқ» таңдаңыз."
