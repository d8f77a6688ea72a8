"""The hand-written post templates, per category, language and sentiment.

Part of the demo data set that `demo.generator` composes."""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------------------
# Templates
# --------------------------------------------------------------------------------------------------
# Slots: {B.nom}..{B.prep} the brand the post is about; {C.*} a second brand; {B.tag} a handle or
# hashtag; {CEO.*} the CEO; {HOME} the «Ладога Дом» product; {tariff}/{home_tariff} tariffs of B,
# {c_tariff} of C; {city.nom|gen|prep|en}; {where} a city or a district; numbers and durations.
# [[male|female]] agrees with the author's gender.


@dataclass(frozen=True)
class _Template:
    category: str
    lang: str
    sentiment: str
    text: str
    scope: str = "company"  # which of our brands B stands for: company, mobile or home
    who: str = "customer"  # author role: customer, blogger, journalist, news, repost, ad, job
    title: str = ""
    own_only: bool = False
    outage: bool = False
    # Noise that uses a brand word in another sense: which subject's word it is, for the record.
    sense: str = ""
    platforms: tuple[str, ...] = ()
    # The monitoring tool is likely to misread the tone (sarcasm).
    sarcasm: bool = False

    @property
    def uses_c(self) -> bool:
        return "{C." in self.text or "{C." in self.title


def _group(category: str, lang: str, sentiment: str, texts: list[str], **kw) -> list[_Template]:
    return [_Template(category, lang, sentiment, text, **kw) for text in texts]


_T = _Template
_TEMPLATES: list[_Template] = [
    # --- general_request -------------------------------------------------------------------------
    *_group("general_request", "ru", "neutral", [
        "Посоветуйте нормального провайдера {where}. Нужен стабильный интернет для удалёнки, "
        "созвоны по шесть часов в день, а сейчас всё лагает.",
        "Весной переезжаем, будем жить {where}. Какой там домашний интернет живой? Чтобы без "
        "сюрпризов с ценой через полгода.",
        "Кто какой мобильной связью пользуется {city.prep}? Нужен тариф для мамы: звонки и немного "
        "интернета, рублей до {price} в месяц.",
        "Ищу тариф с безлимитным интернетом для работы в дороге — часто езжу по трассе {route}. "
        "Что реально ловит на трассе?",
        "Нужен интернет на дачу под {dacha}. Оптику туда вряд ли протянут, кто сидит через "
        "4G-роутер — какой оператор тянет?",
        "Какие провайдеры заведены в новостройки {where}? УК говорит, что кабель только у одной "
        "компании, это законно вообще?",
        "Народ, подскажите оператора, у которого нормально работает eSIM. Телефон {device}, хочу "
        "вторую линию для работы.",
        "Что сейчас по ценам на домашний интернет {city.prep}? Плачу {price} в месяц за 100 Мбит "
        "и чувствую, что переплачиваю.",
        "Помогите выбрать интернет + ТВ для родителей. Им за семьдесят, нужен простой пульт и "
        "чтобы не звонили каждый день с вопросом «куда всё пропало».",
        "Какой оператор лучше ловит в метро и в электричках {city.prep}? Устал[[|а]] от «нет сети» "
        "между станциями.",
        "Студенту в общагу нужен интернет подешевле, {city.nom}. Роутер есть свой. Что "
        "посоветуете?",
        "Кто-нибудь подключал гигабит домой? Реально есть разница с 300 Мбит или это маркетинг?",
        "Нужен провайдер для маленького офиса на восемь человек {where}: статический IP, договор "
        "на юрлицо, нормальная поддержка. Куда смотреть?",
        "Вопрос знатокам: какая мобильная связь сейчас адекватная по цене и без навязанных "
        "подписок? Готов[[|а]] сменить оператора хоть завтра.",
    ]),
    *_group("general_request", "ru", "neutral", [
        "Какой интернет брать {where}? В подъезде висят объявления {B.gen} и ещё пары компаний, "
        "но живых отзывов не [[нашёл|нашла]].",
        "Ищу мобильный тариф для ребёнка десяти лет: родительский контроль, геолокация, без "
        "платных "
        "подписок. Слышал[[|а]], у {B.gen} что-то такое есть, но интересны и другие варианты.",
    ], scope="mobile"),
    *_group("general_request", "en", "neutral", [
        "Moving to {city.en} next month for work. Which mobile operator should I get a SIM from? "
        "I need decent data and English-friendly support.",
        "Any recommendations for home internet in {city.en}? Renting a flat for a year, need "
        "something reliable for video calls.",
        "Expats in St. Petersburg: what do you use for mobile internet? Looking for a plan that "
        "doesn't need a local bank card.",
        "Which provider has the best fiber in {city.en}? I work remotely for a company in Berlin, "
        "latency matters more than price.",
        "Travelling around Karelia for two weeks — which network actually has coverage outside "
        "the towns?",
    ]),
    # --- competitive_request ---------------------------------------------------------------------
    *_group("competitive_request", "ru", "neutral", [
        "{B.nom} или {C.nom} для домашнего интернета {where}? Соседи хвалят обоих, я уже "
        "запутал[[ся|ась]].",
        "Кто сидит на {B.prep}, а кто на {C.prep} {city.prep}? Хочу сменить оператора, но боюсь "
        "поменять шило на мыло.",
        "У {C.gen} тариф {c_tariff} на {diff} ₽ дешевле, чем {tariff} у {B.gen}. Есть смысл "
        "переходить или там подвох с покрытием?",
        "{C.nom} предлагает гигабит за {price}, а {B.nom} — 500 Мбит за те же деньги. {B.nom}, "
        "может, подтянетесь? 🙂",
        "{B.nom} vs {C.nom}: у кого меньше скрытых платежей? Только без рекламы, интересует живой "
        "опыт.",
        "В нашем ЖК {where} заведены {B.nom} и {C.nom}. У кого пинг лучше для игр? Играю в "
        "шутеры, каждые 10 мс на счету.",
        "Дома {B.nom}, на работе {C.nom}. Если честно, разницы почти не вижу, выбирал[[|а]] бы "
        "по цене.",
        "Мобильный у {B.gen} дешевле, но на трассе {route} у {C.gen} покрытие заметно лучше. "
        "Думаю держать две симки.",
        "Какой оператор выбрать для семьи из четырёх: {B.nom} с тарифом {tariff} или {C.nom} с "
        "{c_tariff}? Нужны общие гигабайты и детские симки.",
    ], scope="company"),
    *_group("competitive_request", "ru", "positive", [
        "[[Ушёл|Ушла]] от {C.gen} к {B.dat} полгода назад: скорость та же, платёж на {diff} ₽ "
        "меньше. Пока не жалею.",
        "Сравнил[[|а]] {B.acc} и {C.acc} на даче под {dacha}: у {B.gen} стабильно три палки LTE, "
        "у {C.gen} одна, и та только у окна.",
        "[[Перенёс|Перенесла]] номер из {C.gen} в {B.acc} за один день, без визита в салон. "
        "Посмотрим, как будет со связью в метро.",
        "Честно, после {C.gen} {B.nom} — небо и земля: поддержка отвечает за пять минут, а не за "
        "пять дней.",
        "Вернул[[ся|ась]] в {B.acc} после года в {C.prep}. Там было дешевле, но роутер "
        "приходилось перезагружать каждую неделю. Опыт — дорогое удовольствие.",
        "Живу теперь {where}: у {C.gen} дом не подключён вообще, пришлось брать {B.acc}. "
        "Монтажник пришёл на следующий день, и это приятно удивило.",
    ], scope="company"),
    _T("competitive_request", "ru", "negative",
       "Почему у {C.gen} для новых абонентов скидка 50% на полгода, а у {B.gen} старым клиентам "
       "ничего? Серьёзно думаю уйти.", scope="home"),
    *_group("competitive_request", "en", "neutral", [
        "{B.nom} or {C.nom} for home fiber in {city.en}? Both quote about the same price, which "
        "one has better support?",
        "Honest question: is {B.nom} actually better than {C.nom}, or just louder in advertising?",
        "{C.nom} offers a cheaper family plan but {B.nom} has better coverage at my dacha. "
        "Tough call.",
        "Thinking of moving my office from {C.nom} to {B.nom}. Anyone done it with a static IP "
        "and no downtime?",
    ]),
    *_group("competitive_request", "en", "positive", [
        "Switched from {C.nom} to {B.nom} last month. Same price, noticeably faster evenings. "
        "So far so good.",
        "Tested {B.nom} and {C.nom} SIMs side by side on a road trip to Karelia. {B.nom} kept LTE "
        "most of the way, {C.nom} dropped to nothing after Lodeynoye Pole.",
    ], scope="mobile"),
    _T("competitive_request", "ru", "neutral",
       "Взял[[|а]] две симки, {B.nom} и {C.nom}, и неделю катал[[ся|ась]] по городу с замерами. "
       "Итог в конце ролика, спойлер: всё не так однозначно. Таймкоды в описании.",
       who="blogger", scope="mobile",
       title="{B.nom} против {C.gen}: замерил[[|а]] скорость в 40 точках {city.gen}"),
    _T("competitive_request", "ru", "neutral",
       "Подключила домашний интернет от двух провайдеров в одной квартире и месяц сравнивала: "
       "{B.nom} против {C.gen}. Пинг, скорость вечером, поддержка, скрытые платежи — всё в видео. "
       "Никто не заплатил за этот ролик.",
       who="blogger", scope="home", title="{B.nom} или {C.nom}? Месяц честного сравнения"),
    _T("competitive_request", "en", "neutral",
       "I spent a week with both SIMs and a speed-test app. Results, coverage maps and prices in "
       "the video. Not sponsored.",
       who="blogger", scope="mobile", title="{B.nom} vs {C.nom}: real speed test across {city.en}"),
    # --- product_request -------------------------------------------------------------------------
    *_group("product_request", "ru", "neutral", [
        "{B.nom}, а тариф {tariff} можно подключить на уже существующий номер или только новым "
        "абонентам?",
        "Подскажите, у {B.gen} есть тариф без интернета, только звонки? Для бабушки, ей гигабайты "
        "не нужны.",
        "{B.nom}, на тарифе {tariff} можно раздавать интернет на ноутбук или будут резать "
        "скорость?",
        "Есть ли у {B.gen} eSIM? Хочу поставить вторую линию на {device}, в салон идти некогда.",
        "Сколько будет стоить роуминг с {B.ins} в Турции? В приложении ничего не понятно, какие-то "
        "пакеты по дням.",
        "А правда, что у {B.gen} с этого месяца безлимит на мессенджеры на всех тарифах? Или "
        "только на {tariff}?",
        "Можно ли оформить тариф {tariff} от {B.gen} на юрлицо и сколько симок максимум? Небольшая "
        "фирма, двенадцать сотрудников.",
        "{B.tag} у вас есть тариф для детских часов с симкой? Хочу ребёнку часы, нужна отдельная "
        "симка.",
    ], scope="mobile"),
    *_group("product_request", "ru", "neutral", [
        "{B.tag} а роутер при подключении дают в аренду или надо покупать? И сколько аренда в "
        "месяц?",
        "{B.nom}, дом {house} по {street} уже подключён к вам? Заезжаем в конце месяца, интернет "
        "нужен сразу.",
        "{B.nom}, а статический IP для домашнего интернета у вас бывает? Хочу смотреть камеры на "
        "даче удалённо.",
        "{B.nom}, подключаете ли вы частные дома под {dacha}? Сосед говорит, что оптику тянут "
        "только по заявкам от пяти домов.",
        "{B.nom}, сколько ждать монтажника после заявки? Подали вчера, а у нас ремонт, надо "
        "понимать, когда штробить стены.",
        "Интересует ТВ-приставка от {B.gen}: сколько каналов в базовом пакете и можно ли смотреть "
        "на двух телевизорах?",
        "Какой минимальный срок договора у {B.gen}? Квартиру снимаем на полгода, не хочу платить "
        "неустойку.",
        "Цена {price} ₽ в месяц у {B.gen} — это навсегда или через полгода вырастет, как у всех?",
    ], scope="home"),
    *_group("product_request", "ru", "neutral", [
        "Сколько стоит подключение {HOME} {where}? На сайте пишут «уточняйте у оператора», а "
        "оператор отправляет на сайт 🙃",
        "Если подключить {HOME} и мобильный у {B.gen}, скидка на пакет будет? В рекламе "
        "видел[[|а]] "
        "что-то про «выгодно вдвоём».",
        "В {HOME} на тарифе {home_tariff} реально {promised} Мбит по кабелю или это «до»? Хочу "
        "понимать до подписания договора.",
    ], scope="home"),
    *_group("product_request", "en", "neutral", [
        "Hi {B.tag}, can a foreigner buy a SIM with just a passport? Arriving in {city.en} on "
        "Monday.",
        "Is there an English version of the {B.nom} app? Trying to top up and everything is in "
        "Russian.",
        "Can I keep my number if I move from another operator to {B.nom}, and how long does it "
        "take?",
        "Does {B.nom} roaming work in Finland? Planning a weekend trip to Helsinki.",
    ], scope="mobile"),
    *_group("product_request", "en", "neutral", [
        "Does {B.nom} offer a short-term home internet contract? I'm only in {city.en} for four "
        "months.",
        "What's the real evening speed on the {home_tariff} plan from {B.nom}? The ad says up to "
        "{promised} Mbps.",
    ], scope="home"),
    # --- first_review ----------------------------------------------------------------------------
    *_group("first_review", "ru", "positive", [
        "Вчера подключили {HOME}. Монтажник пришёл вовремя, кабель аккуратно провёл по плинтусу, "
        "скорость по замеру {real_fast} Мбит. Пока [[доволен|довольна]].",
        "[[Перешёл|Перешла]] в {B.acc} неделю назад. Приложение удобное, за тариф списали ровно "
        "сколько "
        "обещали. Даже непривычно 😅",
        "Первые впечатления от {B.gen}: менеджер в салоне всё объяснил и не навязывал допуслуги. "
        "Так бывает вообще?",
        "Поставили {B.acc} родителям на дачу. Мастер полдня искал, где лучше ловит, в итоге "
        "антенна на крыше и 4G во всём доме. Спасибо ему!",
        "Первый месяц с {B.ins}: один раз интернет пропадал на полчаса ночью, в остальном ровно. "
        "Для своей цены — отлично.",
        "Только что [[перенёс|перенесла]] номер в {B.acc}. Оформление заняло десять минут, а "
        "старый оператор ещё сутки слал СМС «вернитесь» 😂",
        "Получил[[|а]] сим-карту {B.gen} курьером — удобно, активировал[[|а]] по видео за пару "
        "минут. Связь пока толком не тестил[[|а]].",
        "Вчера поставили ТВ-приставку от {B.gen}. Каналов много, картинка хорошая, но пульт "
        "какой-то игрушечный 😄",
        "Три дня на {B.prep}: {city.prep} ловит везде, даже в подвале у гаража. Посмотрим, что "
        "будет за городом.",
    ], scope="company"),
    *_group("first_review", "ru", "neutral", [
        "Первый день с симкой {B.gen}: в метро ловит, в офисе ловит, дома на балконе — одна палка. "
        "Посмотрим дальше.",
        "Подключил[[ся|ась]] к {B.dat} по акции. Роутер выдали старенький, но работает. Вечером "
        "скорость проседает до {speed_mid} Мбит, днём всё летает.",
        "Неделя на тарифе {tariff} от {B.gen}. Гигабайтов хватает, звонки чистые, только СМС с "
        "рекламой уже надоели.",
        "Подключили интернет от {B.gen}. Монтажник опоздал на два часа и не предупредил, но сам "
        "интернет пока работает хорошо.",
        "Ну вот и я в {B.prep}. Впечатление смешанное: скорость отличная, а личный кабинет "
        "запутанный, полчаса искал[[|а]], где отключить автоплатёж.",
    ], scope="company"),
    _T("first_review", "ru", "positive",
       "Неделю сижу на домашнем интернете от {B.gen}. Монтаж, роутер, замеры вечером в час пик, "
       "поддержка — всё показала без купюр. Ролик не рекламный, подключалась за свои.",
       who="blogger", scope="home", title="Подключила {B.acc}: честный отзыв через неделю"),
    *_group("first_review", "en", "positive", [
        "First week with {B.nom}: setup took ten minutes, speed test shows {real_fast} Mbps. "
        "Impressed so far.",
        "Got a {B.nom} SIM at the airport in {city.en}. Staff spoke a bit of English, data works "
        "fine. 👍",
    ], scope="company"),
    *_group("first_review", "en", "neutral", [
        "Day one on {B.nom} home internet. The installer was late, but the connection itself is "
        "solid.",
        "Just switched to {B.nom}. The app is only half translated, but the plan costs half of "
        "what I paid before.",
        "Been on {B.nom} for three days. Coverage in the city is great, out of town it's hit and "
        "miss.",
        "Installed the {B.nom} TV box yesterday. Lots of channels, nothing in English though. "
        "The kids are happy anyway.",
    ], scope="company"),
    # --- negative --------------------------------------------------------------------------------
    *_group("negative", "ru", "negative", [
        "{B.nom}, третий день нет интернета {where}. Заявку приняли, номер дали, и тишина. Я "
        "вообще-"
        "то работаю из дома!",
        "{B.tag} у меня весь дом {where} без интернета с утра, на горячей линии говорят «плановые "
        "работы». Почему нас не предупредили?!",
        "Ни одного дня без разрыва за месяц. {B.nom}, я понимаю, что у вас «работы на линии», но "
        "мне-то что с того?",
    ], scope="home", outage=True),
    *_group("negative", "ru", "negative", [
        "Ещё {date_word} пропал мобильный интернет {where}, до сих пор нет. Пишут «авария на "
        "базовой станции». Сколько ещё ждать, {B.nom}?",
        "Опять пропала связь у {B.gen}: ни звонков, ни интернета уже {hours}. Это массово или "
        "только у меня?",
    ], scope="mobile", outage=True),
    _T("negative", "ru", "negative",
       "Отличный сервис у {B.gen}: второй день без интернета, зато СМС с рекламой нового тарифа "
       "приходят исправно 👏", scope="home", outage=True, sarcasm=True),
    _T("negative", "ru", "negative",
       "Спасибо, {B.nom}, теперь я знаю все песни из вашего ожидания на линии наизусть. Сорок "
       "минут — и «оператор перезвонит». Не перезвонил.", sarcasm=True),
    *_group("negative", "ru", "negative", [
        "Обещали {promised} Мбит, по факту вечером {speed}. {B.nom}, это по-вашему «до "
        "{promised}»?",
        "Мастер {B.gen} должен был прийти с 10 до 14. Сейчас 17:30. [[Отпросился|Отпросилась]] с "
        "работы ради "
        "этого 😡",
        "Интернет от {B.gen} отваливается каждый вечер с 20 до 23 — именно тогда, когда он нужен. "
        "Роутер меняли, не помогло.",
        "Переплатил[[|а]] за роутер, который сгорел через месяц. В {B.prep} говорят, что гарантия "
        "на аренду не распространяется. Это как?",
        "Пинг на {B.prep} в вечерний прайм — {ping} мс. Играть невозможно, созвоны рассыпаются.",
        "ТВ-приставка {B.gen} зависает каждые полчаса, поддержка советует «вынуть и вставить». "
        "Мы в каком веке живём?",
        "Отменили мою заявку на подключение без объяснений, хотя договор подписан. {B.nom}, что "
        "происходит?",
    ], scope="home"),
    *_group("negative", "ru", "negative", [
        "С меня снова списали {sum} ₽ за какую-то «подписку», которую я не подключал[[|а]]. "
        "{B.nom}, верните деньги.",
        "Опять пропала связь в метро на {metro}. {B.nom}, это уже не смешно, каждое утро одно и "
        "то же.",
        "В салоне {B.gen} мне навязали страховку телефона и «антивирус» за {small_sum} ₽ в месяц. "
        "Узнал[[|а]] только из выписки.",
        "{B.nom}, почему в приложении баланс один, а в СМС другой? Кому верить и куда делись "
        "{small_sum} ₽?",
        "Звонки с {B.gen} прерываются посреди разговора. Уже неделю. Телефон новый, дело не в нём.",
        "Заблокировали сим-карту «по подозрению в мошенничестве», разблокировать только лично в "
        "салоне. Я в командировке! {B.nom}, серьёзно?",
        "Роуминг с {B.ins} — лотерея: пакет купил[[|а]], а интернета в Казахстане нет, деньги не "
        "вернули.",
        "{B.nom}, ваш «безлимит» режут до 128 кбит/с после {gb} ГБ. Зачем тогда писать «безлимит» "
        "огромными буквами?",
    ], scope="mobile"),
    *_group("negative", "ru", "negative", [
        "Поддержка {B.gen} — отдельный вид искусства. Сорок минут на линии, потом «оператор "
        "перезвонит». Не перезвонил.",
        "Подняли абонентку на {diff} ₽ без нормального уведомления — одно СМС мелким шрифтом. "
        "Спасибо, {B.nom}, очень по-клиентски.",
        "Чат поддержки {B.gen}: бот трижды предложил «перезагрузить роутер» и закрыл обращение. "
        "Гениально.",
        "Счёт от {B.gen} за прошлый месяц пришёл в два раза больше. В детализации — «услуги "
        "партнёров». Я такого не заказывал[[|а]].",
    ]),
    _T("negative", "ru", "negative",
       "За неделю вы прислали мне больше сотни сообщений про {B.acc}: обрывы, списания, поддержка "
       "не отвечает. Собрала самые частые проблемы и попробовала дозвониться сама. Спойлер: "
       "не дозвонилась.",
       who="blogger", title="Что происходит с {B.ins}? Разбираю жалобы подписчиков"),
    *_group("negative", "en", "negative", [
        "{B.nom} has been down in my building for {en_days}. No updates, no ETA. Working from a "
        "café again.",
    ], scope="home", outage=True),
    *_group("negative", "en", "negative", [
        "Paid for {promised} Mbps, getting {speed} in the evening. {B.tag} care to explain?",
        "The technician from {B.nom} never showed up. Took a day off for nothing.",
    ], scope="home"),
    *_group("negative", "en", "negative", [
        "Charged twice for the same month by {B.nom}. The support chat keeps closing my ticket. "
        "Not impressed.",
        "{B.nom} support line: 35 minutes of music, then the call dropped. Classic.",
        "Roaming with {B.nom} in Finland: bought the data pack, got no data. Still waiting for a "
        "refund.",
        "Why does the {B.nom} app log me out every single day? The SMS code takes five minutes to "
        "arrive.",
    ], scope="mobile"),
    # --- support ---------------------------------------------------------------------------------
    *_group("support", "ru", "neutral", [
        "{B.nom}, подскажите, как перенести договор на другого человека? Квартиру продаём, "
        "покупатели хотят оставить интернет.",
        "{B.nom}, переезжаю в другую квартиру {where}. Можно перенести интернет на новый адрес без "
        "нового договора? Договор №{contract}.",
        "Как настроить IPTV от {B.gen} на втором телевизоре? Инструкция на сайте для старой "
        "приставки.",
        "После обновления прошивки роутера {B.gen} пропал Wi‑Fi на 5 ГГц. Можно откатить?",
        "{B.nom}, подскажите номер заявки или хотя бы сроки: подавал[[|а]] на ремонт линии "
        "{date_word}, до сих пор никто не позвонил.",
        "Добрый день, {B.nom}! Уезжаю на два месяца, можно приостановить договор на интернет, "
        "чтобы не платить?",
    ], scope="home"),
    _T("support", "ru", "neutral",
       "Здравствуйте! Роутер от {B.gen} мигает красным после отключения света. Перезагружал[[|а]] "
       "— не помогает. Что делать?", scope="home", outage=True),
    *_group("support", "ru", "neutral", [
        "{B.tag} не приходит СМС с кодом для входа в приложение. Номер {B.gen}, телефон {device}. "
        "Что делать?",
        "Как поменять тариф на {tariff} без потери остатка гигабайтов? В приложении {B.gen} "
        "пишет, что остаток сгорит.",
        "{B.nom}, потерял[[|а]] сим-карту. Как восстановить номер, если я сейчас в другом городе?",
        "{B.nom}, как добавить второй номер в семейный тариф? [[Жена|Муж]] тоже хочет к вам.",
        "Как временно заблокировать номер ребёнка — он потерял телефон в школе? Номер на {B.prep}, "
        "оформлен на меня.",
        "Не проходит перенос номера в {B.acc}: третий день статус «в обработке». Старый оператор "
        "говорит, что с их стороны всё готово.",
        "Как подключить eSIM {B.gen} на {device}? QR-код пришёл на почту, а телефон пишет «не "
        "удалось добавить тариф».",
    ], scope="mobile"),
    *_group("support", "ru", "neutral", [
        "Как отключить автоплатёж в личном кабинете {B.gen}? Всё облазил[[|а]], кнопки не вижу.",
        "Не могу оплатить {B.acc} через приложение банка — пишет «лицевой счёт не найден». Номер "
        "счёта точно правильный.",
        "Подскажите, куда отправить заявление на возврат переплаты? Закрыл[[|а]] договор с {B.ins} "
        "месяц назад, на балансе {small_sum} ₽.",
        "{B.nom}, где в личном кабинете взять закрывающие документы для бухгалтерии? Договор на "
        "ИП.",
    ]),
    *_group("support", "en", "neutral", [
        "{B.tag} how do I switch the app to English? Can't find it in the settings.",
        "Need an invoice for my company from {B.nom} — where do I find it in the personal account?",
    ]),
    *_group("support", "en", "neutral", [
        "Moving flats in {city.en} next week — can {B.nom} transfer my home internet to the new "
        "address?",
        "My {B.nom} router keeps blinking red since yesterday's power cut. Restarting doesn't "
        "help. Any tips?",
    ], scope="home"),
    *_group("support", "en", "neutral", [
        "Lost my {B.nom} SIM on the metro. How can I block it and get a replacement with the same "
        "number?",
        "How do I top up a {B.nom} number with a foreign card? The payment keeps failing.",
    ], scope="mobile"),
    # --- abandonment -----------------------------------------------------------------------------
    *_group("abandonment", "ru", "negative", [
        "Всё, ухожу от {B.gen}. {years} был[[|а]] клиентом, но после очередного повышения цен — "
        "хватит. Как расторгнуть договор без визита в офис?",
        "Подал[[|а]] заявку на перенос номера в {C.acc}. {B.nom}, вы потеряли клиента, который был "
        "с вами с {since}.",
        "{B.nom}, расторгните мой договор, пожалуйста. Третье обращение за месяц, ответа нет. "
        "Иначе пойду в Роспотребнадзор.",
        "Прощай, {B.nom}. Три отключения за неделю — мой предел 💔",
        "[[Перенёс|Перенесла]] номер в {C.acc}, а {B.nom} до сих пор списывает абонентку. Как это "
        "остановить?",
        "Закрываю все симки {B.gen} в семье — четыре номера. Если кто-то из {B.gen} это читает: "
        "причина в роуминге и вашей поддержке.",
        "Сегодня последний день с {B.ins}. Было хорошо, пока не подняли цену почти вдвое. "
        "[[Ушёл|Ушла]] "
        "к {C.dat}.",
        "Расторг[[|ла]] договор с {B.ins}, а теперь звонят из-за «долга» в {small_sum} ₽ за месяц, "
        "которым я не пользовал[[ся|ась]]. Шикарно.",
        "{B.nom}, прошу больше не звонить мне с «выгодными предложениями вернуться». "
        "Я [[ушёл|ушла]] осознанно.",
    ], scope="mobile"),
    *_group("abandonment", "ru", "neutral", [
        "Отключаю интернет от {B.gen} с первого числа. Куда сдавать роутер и сколько будут держать "
        "залог?",
        "Уходим от {B.gen} к {C.dat}. Никакой драмы: у них дешевле на {diff} ₽, и дом уже "
        "подключён.",
        "Не продлеваю договор с {B.ins}. Интернет нормальный, но ТВ-пакет урезали, а цену "
        "оставили. Наш[[ёл|ла]] вариант получше.",
    ], scope="home"),
    *_group("abandonment", "en", "negative", [
        "Cancelling {B.nom} at the end of the month. Three outages in two weeks is too many. How "
        "do I return the router?",
        "Done with {B.nom}. Prices went up again and support never answers. Moving to {C.nom}.",
    ], scope="home"),
    *_group("abandonment", "en", "neutral", [
        "Ported my number from {B.nom} to {C.nom} today. Cheaper, and better coverage where I "
        "live.",
        "{B.tag} please close my contract, I'm leaving the country. Where do I send the request?",
    ], scope="mobile"),
    # --- uncomfortable_question ------------------------------------------------------------------
    *_group("uncomfortable_question", "ru", "negative", [
        "{CEO.nom}, вы обещали «интернет в каждый посёлок области» к концу года. Где он? У нас в "
        "посёлке {village} до сих пор одна вышка на три деревни.",
        "Вопрос к {CEO.dat}: правда ли, что {B.nom} передаёт данные абонентов рекламщикам? В "
        "договоре есть пункт про «партнёров», хочется публичного ответа.",
        "Как вы объясните, что {CEO.nom} получила премию, а тарифы за год выросли на 15%? Абоненты "
        "платят за бонусы топ-менеджмента?",
        "Пишут, что {B.nom} три месяца не платит подрядчикам-монтажникам. {CEO.nom}, это правда?",
    ]),
    _T("uncomfortable_question", "ru", "negative",
       "{B.nom}, почему после аварии {date_word} никто из руководства не извинился? {CEO.nom} в "
       "интервью рассказывает о «надёжности», а мы сутки сидели без связи.", outage=True),
    _T("uncomfortable_question", "ru", "negative",
       "Пожар на узле связи был месяц назад. Где компенсация абонентам, которые неделю сидели без "
       "интернета? Или {B.nom} надеется, что все забудут?", scope="home"),
    *_group("uncomfortable_question", "ru", "negative", [
        "Почему в оферте {B.gen} мелким шрифтом разрешено менять цену в одностороннем порядке? "
        "Это честно по отношению к клиентам?",
        "{B.nom}, правда, что вы сокращаете колл-центр и переводите поддержку на бота? Поэтому до "
        "вас невозможно дозвониться?",
        "Сколько ещё абоненты {B.gen} будут платить за «неограниченный» интернет, который режут "
        "после {gb} ГБ? Это же прямое введение в заблуждение.",
        "Почему новым абонентам {B.nom} даёт скидку 50%, а те, кто с вами десять лет, платят "
        "полную "
        "цену? Лояльность — это для дураков?",
        "{B.nom}, в рекламе у вас «95% покрытия». Покажите карту, где эти 95%, потому что {where} "
        "связи нет.",
        "Почему {B.nom} требует паспорт и селфи для восстановления сим-карты, а мой номер при этом "
        "спокойно переоформили на мошенника?",
    ], scope="mobile"),
    _T("uncomfortable_question", "ru", "negative",
       "Задали пресс-службе {B.gen} простой вопрос о сбое {date_word}: сколько абонентов "
       "пострадало и будет ли компенсация. Ответа нет вторые сутки. {CEO.nom} в это время "
       "выступает на форуме о цифровизации.", who="journalist", outage=True),
    _T("uncomfortable_question", "ru", "neutral",
       "По данным источников, {B.nom} готовит второе за год повышение тарифов на домашний "
       "интернет. Направили запрос {CEO.dat}, ждём комментарий и опубликуем его полностью.",
       who="journalist"),
    _T("uncomfortable_question", "ru", "negative",
       "Спросил у {CEO.gen} на пресс-конференции, почему обещанная оптика в Ленобласти опять "
       "откладывается. Ответ: «мы работаем над этим». Публикую как есть, выводы делайте сами.",
       who="journalist"),
    _T("uncomfortable_question", "ru", "negative",
       "Прошёл месяц после аварии на магистрали, оставившей без связи десятки тысяч абонентов. "
       "Компенсаций нет, объяснений тоже. Редакция направила вопросы в пресс-службу {B.gen} и "
       "лично "
       "{CEO.dat}; ответа мы пока не получили.",
       who="news", title="Почему {B.nom} молчит о компенсациях после сбоя?"),
    *_group("uncomfortable_question", "en", "negative", [
        "Question for {CEO.nom}: why did {B.nom} raise prices twice this year while reporting "
        "record profits?",
        "{B.nom}, is it true that you share subscriber location data with advertisers? A clear "
        "public answer would help.",
        "Your outage lasted 30 hours and there's still no word about compensation. Who at {B.nom} "
        "is accountable?",
    ]),
    _T("uncomfortable_question", "en", "negative",
       "Asked {CEO.nom} about the delayed rural fiber project at today's briefing. \"We are "
       "working on it\" is not an answer for villages that were promised a connection two years "
       "ago.", who="journalist"),
    # --- praise ----------------------------------------------------------------------------------
    *_group("praise", "ru", "positive", [
        "Уже {years_acc} с {B.ins} и ни разу не пожалел[[|а]]. Всем, кто спрашивает, советую.",
        "Хочу отдельно поблагодарить мастера {staff_gen} из {B.gen} — приехал в субботу, всё "
        "починил за полчаса и подсказал, куда поставить роутер, чтобы ловило в спальне 🙏",
        "{B.nom} — единственный провайдер, которому я за три года ни разу не звонил[[|а]] с "
        "претензией. Это комплимент.",
        "Советую {B.acc} всем {city.prep}: цены честные, поддержка живая, интернет не падает.",
        "Не реклама, просто довольный клиент: в {B.prep} за час восстановили интернет, после того "
        "как строители перерубили кабель. Спасибо ребятам!",
        "Оператор поддержки {staff_f} из {B.gen} полчаса разбиралась со мной с настройками "
        "приставки и ни разу не вздохнула в трубку. Дайте ей премию!",
        "Мама в восторге от {B.gen}: позвонила в поддержку, и ей всё объяснили без «зайдите в "
        "личный кабинет». Рекомендую для родителей.",
        "Перешли к {B.dat} всем офисом. Полгода без единого падения, статический IP дали за день. "
        "Рекомендую коллегам.",
        "Кто спрашивал про провайдера {where} — берите {B.acc}, не пожалеете. Сидим третий год.",
        "Лучшая поддержка, что я видел[[|а]]: в {B.prep} ответили в чате за две минуты и сразу "
        "решили вопрос с переплатой.",
        "Девятый год с {B.ins}. Цены растут у всех, но качество того стоит.",
    ], scope="home"),
    *_group("praise", "ru", "positive", [
        "{B.tag} спасибо, что сами вернули деньги за день без связи, без всяких заявлений. Приятно "
        "удивили 👍",
        "Вот за это люблю {B.acc}: в поездке по Карелии связь была даже там, где у других ноль.",
        "Детям подключили {B.acc} — родительский контроль работает, лишних подписок нет. Советую "
        "знакомым уже в третий раз.",
    ], scope="mobile"),
    _T("praise", "ru", "positive",
       "Полгода назад снимала обзор на {B.acc} и обещала вернуться. Вернулась: за это время ни "
       "одного серьёзного сбоя, цена не выросла, поддержка всё так же отвечает быстро. Редкий "
       "случай, когда не стыдно рекомендовать.",
       who="blogger", scope="mobile", title="{B.nom} спустя полгода: стоит ли до сих пор?"),
    *_group("praise", "en", "positive", [
        "Shoutout to {B.nom} support — fixed my connection in ten minutes, in English. Rare these "
        "days. 🙌",
        "Three years with {B.nom} and not a single serious outage. I recommend them to every expat "
        "I know.",
        "The {B.nom} technician showed up early, tidied the cables and explained everything. Five "
        "stars.",
        "If you're moving to {city.en}, get {B.nom}. Fair prices and it just works.",
        "Credit where it's due: {B.nom} refunded me for the outage day without me even asking.",
    ], scope="home"),
    # --- noise: the brand word in another sense --------------------------------------------------
    *_group("noise", "ru", "positive", [
        "Выходные на Ладоге: ветер, волны, чайки и ни души на берегу. Лучшее озеро на свете 🌊 "
        "#ладога",
        "Кто едет на Ладогу в июле с палатками? Ищем компанию, есть два места в машине, стартуем "
        "из Приозерска.",
        "Шхеры Ладоги на байдарке, день третий: видели нерпу, связи ноль, счастье сто процентов.",
    ], sense="ladoga", platforms=("vk", "instagram", "telegram", "twitter", "facebook", "other")),
    *_group("noise", "ru", "neutral", [
        "Лёд на Ладоге в этом году встал поздно. Рыбаки, будьте осторожны, на льду уже были "
        "провалы.",
        "Продаю лодку, ходили на ней по Ладоге два сезона. Мотор в идеале, торг у воды.",
        "Гостиница «Ладога» в Приозерске: чисто, завтрак простой, до крепости десять минут пешком.",
        "Фотовыставка «Ладога. Люди и вода» открывается в субботу в районной библиотеке, вход "
        "свободный.",
    ], sense="ladoga", platforms=("vk", "instagram", "telegram", "twitter", "facebook", "other")),
    *_group("noise", "ru", "positive", [
        "Шум прибоя и закат — всё, что нужно для счастья. Финский залив сегодня прекрасен 🌅",
        "Сёрфинг на Балтике — миф? Поймали нормальный прибой только в октябре, ледяной, но кайф 🏄",
    ], sense="priboy", platforms=("vk", "instagram", "telegram", "twitter")),
    *_group("noise", "ru", "neutral", [
        "Купили в ДК «Орбита» билеты на детский спектакль. Зал старенький, но уютный.",
        "МКС сегодня пролетит над городом в 21:47, смотрите на юго-запад! Орбита проходит прямо "
        "над нами 🛰",
    ], sense="orbita", platforms=("vk", "instagram", "telegram", "twitter")),
    *_group("noise", "en", "positive", [
        "Sunset over Lake Ladoga tonight. No filter needed. 🌅 #ladoga #karelia",
        "Kayaking the Ladoga skerries, day 3: seals spotted, zero phone signal, perfect.",
    ], sense="ladoga", platforms=("instagram", "twitter", "facebook")),
    _T("noise", "en", "neutral",
       "Watched the ISS pass overhead tonight, 420 km up in orbit. Still blows my mind. 🛰 #orbita",
       sense="orbita", platforms=("instagram", "twitter", "facebook")),
    # --- noise: ads, spam, jobs ------------------------------------------------------------------
    *_group("noise", "ru", "neutral", [
        "Продаём красивые номера {B.gen}: 777, 000, зеркальные. Оформление на ваш паспорт, "
        "доставка по городу. Пишите в ЛС.",
        "🔥 Подключим {B.acc} по лучшей цене! Интернет, ТВ и мобильная связь, скидка 30% на первые "
        "три месяца, выезд мастера бесплатно. Звоните или пишите в ЛС.",
        "Розыгрыш! Подпишись, сделай репост и выиграй сим-карту {B.gen} с пакетом связи на "
        "полгода. "
        "Итоги в пятницу 🎁",
    ], who="ad", scope="mobile"),
    _T("noise", "ru", "neutral",
       "Заработок от 5000 в день со своего телефона! Неважно, {B.nom} у вас или другой оператор — "
       "пишите «+» в комментариях 💰", who="ad"),
    *_group("noise", "ru", "neutral", [
        "Вакансия: монтажник ВОЛС на объекты {B.gen}, {city.nom} и область. График 5/2, оплата от "
        "85 000 ₽, служебный транспорт.",
        "Требуются операторы колл-центра на проект {B.gen}. Удалённо, обучение за наш счёт, от "
        "45 000 ₽. Отклики в ЛС.",
    ], who="job"),
    _T("noise", "en", "neutral",
       "Hiring: field network engineers for {B.nom} projects in {city.en}. English B1+, "
       "relocation support. DM for details.", who="job"),
    _T("noise", "en", "neutral",
       "Selling an unused {B.nom} SIM with a prepaid year of data. Leaving Russia, DM me.",
       scope="mobile", platforms=("twitter", "facebook", "instagram", "telegram")),
    # --- noise: bare news reposts ----------------------------------------------------------------
    *_group("noise", "ru", "neutral", [
        "{B.nom} с первого числа меняет условия тарифа {tariff}. Подробности по ссылке 👇",
        "В {B.prep} запустили пилот 5G в центре {city.gen}. Пока только на нескольких улицах.",
        "{B.nom} открывает новый салон связи {salon}. Обещают работать без выходных.",
        "У {B.gen} новый логотип. Как вам?",
    ], who="repost", scope="mobile"),
    _T("noise", "ru", "positive",
       "{CEO.nom} вошла в рейтинг «Топ-100 менеджеров Северо-Запада». Полный список по ссылке.",
       who="repost"),
    _T("noise", "en", "neutral",
       "{B.nom} reported quarterly revenue up 9% year on year. Full release at the link.",
       who="repost"),
    # --- noise: press ----------------------------------------------------------------------------
    _T("noise", "ru", "negative",
       "С первого числа следующего месяца {B.nom} повысит стоимость тарифов на домашний интернет "
       "в среднем на {pct}%. В компании объясняют решение ростом цен на оборудование и аренду "
       "инфраструктуры.", who="news", scope="home",
       title="{B.nom} повышает тарифы на домашний интернет"),
    _T("noise", "ru", "positive",
       "Генеральный директор {B.gen} {CEO.nom} рассказала о планах компании на строительство сетей "
       "в Ленинградской области и Карелии. По её словам, за два года оптика придёт во все "
       "районные центры, инвестиции составят около 4 млрд рублей.",
       who="news", title="{CEO.nom}: «Оптика дойдёт до каждого райцентра за два года»"),
    _T("noise", "ru", "negative",
       "Вечером {date_word} абоненты {B.gen} {city.prep} и пригородах сообщали о проблемах с "
       "мобильным интернетом и звонками. В компании подтвердили аварию на магистральной линии и "
       "пообещали восстановить связь в течение нескольких часов.",
       who="news", outage=True, title="Абоненты {B.gen} пожаловались на массовый сбой"),
    _T("noise", "ru", "neutral",
       "{B.nom} и {C.nom} обменялись заявлениями о скорости мобильного интернета: обе компании "
       "называют себя лидерами по итогам независимых замеров, но ссылаются на разные "
       "исследования.", who="news", title="{B.nom} и {C.nom} поспорили о скорости 5G"),
    _T("noise", "ru", "positive",
       "Компания {B.nom} стала победителем отраслевой премии «Связь Северо-Запада» в номинации "
       "«Лучший сервис для абонентов». Жюри отметило скорость ответов поддержки.",
       who="news", title="{B.nom} — лучший сервис для абонентов на Северо-Западе"),
    _T("noise", "ru", "neutral",
       "На встрече с журналистами глава {B.gen} {CEO.nom} заявила, что компания не планирует "
       "массовых сокращений, а часть операторов колл-центра переводят на удалённую работу. В "
       "профсоюзе с этой оценкой не согласны.",
       who="news", title="{CEO.nom} ответила на вопросы о сокращениях в колл-центре"),
    _T("noise", "ru", "negative",
       "По итогам квартала доля {B.gen} в регионе снизилась почти на процент, а доля {C.gen} "
       "выросла благодаря агрессивным скидкам для новых клиентов, следует из отраслевого обзора.",
       who="news", title="Рынок связи Северо-Запада: {B.nom} теряет долю"),
    _T("noise", "ru", "positive",
       "{B.nom} начинает подключать домашний интернет в новых районах {city.gen}. Первые дома "
       "обещают подключить до конца месяца, заявки уже принимают.",
       who="news", scope="home", title="{B.nom} выходит в новые районы {city.gen}"),
    _T("noise", "en", "positive",
       "CEO {CEO.nom} said the company plans to connect 120 villages in Karelia and the Leningrad "
       "region over the next two years, with about 4 billion roubles of investment.",
       who="news", title="{B.nom} to invest in rural fiber in Karelia"),
    _T("noise", "en", "negative",
       "Subscribers of {B.nom} in {city.en} reported dropped calls and no mobile data for several "
       "hours. The company blamed damage to a backbone line.",
       who="news", outage=True, title="Outage hits {B.nom} subscribers in {city.en}"),
    _T("noise", "en", "neutral",
       "{B.nom} and {C.nom} both claim the fastest 5G in the region, citing different studies.",
       who="news", title="{B.nom} and {C.nom} trade blows over 5G claims"),
]  # fmt: skip

# Openers and closers make the same template read differently; (ru, en) per category.
_OPENERS = {
    "general_request": (["Всем привет!", "Народ, нужен совет.", "Вопрос к местным."], ["Hi all!"]),
    "competitive_request": (["Дилемма.", "Нужен совет."], []),
    "product_request": (["Добрый день!", "Здравствуйте."], ["Hello!"]),
    "first_review": (["Делюсь впечатлениями.", "Небольшой отзыв."], ["Quick update:"]),
    "negative": (["Накипело.", "Ну вот опять.", "Люди, это нормально вообще?"], ["Ugh."]),
    "support": (["Добрый день!", "Здравствуйте.", "Помогите, пожалуйста."], ["Hi!"]),
    "abandonment": (["Ну всё.", "Решение принято."], ["That's it."]),
    "uncomfortable_question": (["Публичный вопрос."], []),
    "praise": (["Хочу сказать спасибо.", "Редко пишу отзывы, но тут не могу."], ["Quick one:"]),
}
_CLOSERS = {
    "general_request": (["Спасибо!", "Буду благодар[[ен|на]] за советы.",
                         "Только реальный опыт, пожалуйста."], ["Thanks in advance!"]),
    "competitive_request": (["Отпишитесь, кто где сидит.", "Буду рад[[|а]] любому опыту."],
                            ["Would love to hear real experiences."]),
    "product_request": (["Спасибо.", "Ответьте тут или в личку, пожалуйста."], ["Thanks!"]),
    "first_review": (["Отпишусь через месяц.", "Посмотрим, что будет дальше."], ["Will update."]),
    "negative": (["😡", "Позор.", "Сколько можно?", "Очень жду ответа."], ["😤", "Fix it."]),
    "support": (["Заранее спасибо!", "Спасибо 🙏", "Буду благодар[[ен|на]] за ответ."],
                ["Thanks!", "Any help appreciated."]),
    "abandonment": (["Без обид.", "Жаль, правда."], ["No hard feelings."]),
    "uncomfortable_question": (["Жду ответа.", "Вопрос не риторический."], ["Waiting."]),
    "praise": (["❤️", "Так держать!", "Спасибо вам!", "👍"], ["❤️", "10/10."]),
}  # fmt: skip
_REPEAT_OPENERS = [
    "Снова я.",
    "Пишу уже не первый раз.",
    "Опять про то же самое.",
    "Я уже писал[[|а]] об этом, ничего не изменилось.",
]

_FORUM_TITLES = {
    "ru": {
        "general_request": ["Какой провайдер выбрать {where}?", "Интернет в новостройке",
                            "Мобильная связь для родителей", "Нужен совет по домашнему интернету"],
        "competitive_request": ["{B.nom} или {C.nom}?", "{B.nom} vs {C.nom} — опыт",
                                "Переход от {C.gen}: стоит ли?"],
        "product_request": ["Вопрос по тарифам {B.gen}", "{B.nom}: условия подключения"],
        "first_review": ["Первые впечатления от {B.gen}", "Неделя с {B.ins}"],
        "negative": ["{B.nom}: проблемы со связью", "Опять без интернета",
                     "{B.nom} — кто ещё страдает?", "Скорость у {B.gen} по вечерам"],
        "support": ["Помогите с настройкой", "Нужна помощь: {B.nom}", "Вопрос по договору"],
        "abandonment": ["Как расторгнуть договор с {B.ins}?", "Ухожу от {B.gen}"],
        "uncomfortable_question": ["Вопросы к руководству {B.gen}", "{B.nom} и компенсации"],
        "praise": ["Спасибо {B.dat}!", "Редкий случай: хвалю провайдера"],
    },
    "en": {
        "general_request": ["Mobile operator for expats?", "Home internet recommendations"],
        "competitive_request": ["{B.nom} or {C.nom}?"],
        "product_request": ["Question about {B.nom} plans"],
        "first_review": ["First week with {B.nom}"],
        "negative": ["{B.nom} outage?", "{B.nom} speed issues"],
        "support": ["Help with {B.nom}"],
        "abandonment": ["Cancelling {B.nom}"],
        "uncomfortable_question": ["Questions for {B.nom} management"],
        "praise": ["Kudos to {B.nom}"],
    },
}  # fmt: skip
_REVIEW_TITLES = {
    "ru": {
        "positive": ["Надёжный провайдер", "Рекомендую", "Лучше, чем ожидал[[|а]]",
                     "Пять звёзд за поддержку", "{B.nom} — твёрдая пятёрка"],
        "neutral": ["Нормально, но есть нюансы", "За свои деньги — нормально",
                    "Есть плюсы и минусы"],
        "negative": ["Не рекомендую", "Ужасная поддержка", "Деньги списывают, связи нет",
                     "{B.nom} — разочарование", "Одна звезда, и то много"],
    },
    "en": {
        "positive": ["Solid provider", "Recommended"],
        "neutral": ["Decent for the price", "Mixed feelings"],
        "negative": ["Avoid", "Terrible support"],
    },
}  # fmt: skip
