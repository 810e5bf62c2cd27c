# ruff: noqa: E501  (translations: one text per line reads better than a text cut in two)
"""The services' own English refusals (a field's reason), worded in ru/kk/ky by their text (issue 13).

Data only, in the shape of `i18n.REASONS` (which merges this table after its common entries): each
key is the English text a service writes, with `{names}` where the service puts values; the gateway
puts the values back unchanged. A more specific template comes before a more general one.
"""

from __future__ import annotations

SERVICE_REASONS: dict[str, dict[str, str]] = {
    # curriculum: calendar
    "an academic year needs at least one term": {
        "ru": "в учебном году должен быть хотя бы один семестр",
        "kk": "оқу жылында кемінде бір семестр болуы керек",
        "ky": "окуу жылында жок дегенде бир семестр болушу керек",
        "en": "an academic year needs at least one term",
    },
    "terms must be numbered 1..{count}, got {numbers}": {
        "ru": "семестры должны быть пронумерованы 1..{count}, получено {numbers}",
        "kk": "семестрлер 1..{count} болып нөмірленуі керек, берілгені {numbers}",
        "ky": "семестрлер 1..{count} болуп номерленүүсү керек, берилгени {numbers}",
        "en": "terms must be numbered 1..{count}, got {numbers}",
    },
    "term {number} ({starts}..{ends}) overlaps term {other}": {
        "ru": "семестр {number} ({starts}..{ends}) пересекается с семестром {other}",
        "kk": "{number} семестр ({starts}..{ends}) {other} семестрмен қиылысады",
        "ky": "{number} семестр ({starts}..{ends}) {other} семестр менен кесилишет",
        "en": "term {number} ({starts}..{ends}) overlaps term {other}",
    },
    "term {later} starts after term {earlier}": {
        "ru": "семестр {later} начинается позже семестра {earlier}",
        "kk": "{later} семестр {earlier} семестрден кейін басталады",
        "ky": "{later} семестр {earlier} семестрден кийин башталат",
        "en": "term {later} starts after term {earlier}",
    },
    "overlaps academic year {code} ({starts}..{ends})": {
        "ru": "пересекается с учебным годом {code} ({starts}..{ends})",
        "kk": "{code} оқу жылымен ({starts}..{ends}) қиылысады",
        "ky": "{code} окуу жылы ({starts}..{ends}) менен кесилишет",
        "en": "overlaps academic year {code} ({starts}..{ends})",
    },
    "is before its control event on {day}": {
        "ru": "раньше своего контрольного мероприятия ({day})",
        "kk": "өз бақылау шарасынан ({day}) бұрын",
        "ky": "өзүнүн көзөмөл иш-чарасынан ({day}) мурун",
        "en": "is before its control event on {day}",
    },
    "this profile closes when the final score is set, not on a date": {
        "ru": "в этом профиле закрытие наступает при выставлении итоговой оценки, а не в срок",
        "kk": "бұл профильде жабу мерзімге емес, қорытынды баға қойылғанда болады",
        "ky": "бул профилде жабуу мөөнөткө эмес, жыйынтык баа коюлганда болот",
        "en": "this profile closes when the final score is set, not on a date",
    },
    "is before the grade-entry deadline": {
        "ru": "раньше срока выставления оценок",
        "kk": "баға қою мерзімінен бұрын",
        "ky": "баа коюу мөөнөтүнөн мурун",
        "en": "is before the grade-entry deadline",
    },
    "term {number} exists and is not removed by redefining the year": {
        "ru": "семестр {number} уже есть; переопределение года его не удаляет",
        "kk": "{number} семестр бар; жылды қайта анықтау оны жоймайды",
        "ky": "{number} семестр бар; жылды кайра аныктоо аны өчүрбөйт",
        "en": "term {number} exists and is not removed by redefining the year",
    },
    "changing the dates of an academic year or a term needs a reason": {
        "ru": "для изменения дат учебного года или семестра нужна причина",
        "kk": "оқу жылының не семестрдің күндерін өзгерту үшін себеп керек",
        "ky": "окуу жылынын же семестрдин күндөрүн өзгөртүү үчүн себеп керек",
        "en": "changing the dates of an academic year or a term needs a reason",
    },
    "loading must come before correction, each window ending after it starts": {
        "ru": "загрузка должна предшествовать корректировке, и каждое окно должно заканчиваться после начала",
        "kk": "жүктеу түзетуден бұрын болуы керек, әр кезең басталғаннан кейін аяқталуы керек",
        "ky": "жүктөө оңдоодон мурун болушу керек, ар бир мезгил башталгандан кийин бүтүшү керек",
        "en": "loading must come before correction, each window ending after it starts",
    },
    "{day} lies outside term {number} ({starts}..{ends})": {
        "ru": "{day} вне семестра {number} ({starts}..{ends})",
        "kk": "{day} {number} семестрден ({starts}..{ends}) тыс",
        "ky": "{day} {number} семестрден ({starts}..{ends}) тышкары",
        "en": "{day} lies outside term {number} ({starts}..{ends})",
    },
    "a deadline change needs a reason (it is audited)": {
        "ru": "для переноса срока нужна причина (она записывается в журнал аудита)",
        "kk": "мерзімді ауыстыру үшін себеп керек (ол аудитте жазылады)",
        "ky": "мөөнөттү жылдыруу үчүн себеп керек (ал аудитте жазылат)",
        "en": "a deadline change needs a reason (it is audited)",
    },
    "control event {id} does not exist": {
        "ru": "контрольного мероприятия {id} нет",
        "kk": "{id} бақылау шарасы жоқ",
        "ky": "{id} көзөмөл иш-чарасы жок",
        "en": "control event {id} does not exist",
    },
    "name a term, a group or a course unit": {
        "ru": "укажите семестр, группу или дисциплину",
        "kk": "семестрді, топты немесе пәнді көрсетіңіз",
        "ky": "семестрди, топту же сабакты көрсөтүңүз",
        "en": "name a term, a group or a course unit",
    },
    "group {group} does not study this course unit (other year, specialty or course)": {
        "ru": "группа {group} не изучает эту дисциплину (другой год, специальность или курс)",
        "kk": "{group} тобы бұл пәнді оқымайды (басқа жыл, мамандық немесе курс)",
        "ky": "{group} тобу бул сабакты окубайт (башка жыл, адистик же курс)",
        "en": "group {group} does not study this course unit (other year, specialty or course)",
    },
    "profile {profile} has no control event of kind {kind}": {
        "ru": "в профиле {profile} нет контрольного мероприятия вида {kind}",
        "kk": "{profile} профилінде {kind} түріндегі бақылау шарасы жоқ",
        "ky": "{profile} профилинде {kind} түрүндөгү көзөмөл иш-чарасы жок",
        "en": "profile {profile} has no control event of kind {kind}",
    },
    "academic year {year} has no term {number}": {
        "ru": "в учебном году {year} нет семестра {number}",
        "kk": "{year} оқу жылында {number} семестр жоқ",
        "ky": "{year} окуу жылында {number} семестр жок",
        "en": "academic year {year} has no term {number}",
    },
    # curriculum: contingent
    "the student is already in group {group} of course {course} from {since}; a change of group needs a "
    "transfer order": {
        "ru": "студент уже в группе {group} курса {course} с {since}; смена группы — только приказом о переводе",
        "kk": "студент {since} бастап {course} курстың {group} тобында; топты ауыстыру үшін ауыстыру бұйрығы керек",
        "ky": "студент {since} тартып {course} курстун {group} тобунда; топту алмаштыруу үчүн которуу буйругу керек",
        "en": "the student is already in group {group} of course {course} from {since}; a change of group "
        "needs a transfer order",
    },
    "the student is in no group on {day}": {
        "ru": "на {day} студент не состоит ни в одной группе",
        "kk": "{day} күні студент ешбір топта жоқ",
        "ky": "{day} күнү студент эч бир топто жок",
        "en": "the student is in no group on {day}",
    },
    "the student is in several groups on that date; name the one to leave": {
        "ru": "на эту дату студент состоит в нескольких группах; укажите, из какой он выбывает",
        "kk": "бұл күні студент бірнеше топта; қайсысынан шығатынын көрсетіңіз",
        "ky": "бул күнү студент бир нече топто; кайсынысынан чыгарын көрсөтүңүз",
        "en": "the student is in several groups on that date; name the one to leave",
    },
    "the student already left group {group} on {day}": {
        "ru": "студент уже выбыл из группы {group} {day}",
        "kk": "студент {group} тобынан {day} күні шығып кеткен",
        "ky": "студент {group} тобунан {day} күнү чыгып кеткен",
        "en": "the student already left group {group} on {day}",
    },
    "the student is already in group {group} (and that subgroup)": {
        "ru": "студент уже в группе {group} (и в этой подгруппе)",
        "kk": "студент {group} тобында (және осы топшада) бар",
        "ky": "студент {group} тобунда (жана ушул топчодо) бар",
        "en": "the student is already in group {group} (and that subgroup)",
    },
    "is more than a year before the order was signed": {
        "ru": "более чем на год раньше подписания приказа",
        "kk": "бұйрыққа қол қойылғаннан бір жылдан астам бұрын",
        "ky": "буйрукка кол коюлгандан бир жылдан ашык мурун",
        "en": "is more than a year before the order was signed",
    },
    "is after the end of academic year {year} of group {group}": {
        "ru": "позже окончания учебного года {year} группы {group}",
        "kk": "{group} тобының {year} оқу жылы аяқталғаннан кейін",
        "ky": "{group} тобунун {year} окуу жылы бүткөндөн кийин",
        "en": "is after the end of academic year {year} of group {group}",
    },
    # curriculum: working curriculum and teaching load
    "define a block or a modular discipline as a part of its integrated discipline or module": {
        "ru": "блок или модульная дисциплина задаётся как часть своей интегрированной дисциплины или модуля",
        "kk": "блок не модульдік пән өз интеграцияланған пәнінің не модулінің бөлігі ретінде анықталады",
        "ky": "блок же модулдук сабак өзүнүн интеграцияланган сабагынын же модулунун бөлүгү катары аныкталат",
        "en": "define a block or a modular discipline as a part of its integrated discipline or module",
    },
    "unknown scale/profile {value}; known: {known}": {
        "ru": "неизвестная шкала/профиль {value}; известны: {known}",
        "kk": "белгісіз шкала/профиль {value}; белгілілері: {known}",
        "ky": "белгисиз шкала/профиль {value}; белгилүүлөрү: {known}",
        "en": "unknown scale/profile {value}; known: {known}",
    },
    "unknown profile {value}; known: {known}": {
        "ru": "неизвестный профиль {value}; известны: {known}",
        "kk": "белгісіз профиль {value}; белгілілері: {known}",
        "ky": "белгисиз профиль {value}; белгилүүлөрү: {known}",
        "en": "unknown profile {value}; known: {known}",
    },
    "unknown profile {value}": {
        "ru": "неизвестный профиль {value}",
        "kk": "белгісіз профиль {value}",
        "ky": "белгисиз профиль {value}",
        "en": "unknown profile {value}",
    },
    "a discipline has no parts": {
        "ru": "у дисциплины нет частей",
        "kk": "пәннің бөліктері болмайды",
        "ky": "сабактын бөлүктөрү болбойт",
        "en": "a discipline has no parts",
    },
    "a module needs at least one modular discipline": {
        "ru": "в модуле должна быть хотя бы одна модульная дисциплина",
        "kk": "модульде кемінде бір модульдік пән болуы керек",
        "ky": "модулда жок дегенде бир модулдук сабак болушу керек",
        "en": "a module needs at least one modular discipline",
    },
    "an integrated discipline needs at least one block": {
        "ru": "в интегрированной дисциплине должен быть хотя бы один блок",
        "kk": "интеграцияланған пәнде кемінде бір блок болуы керек",
        "ky": "интеграцияланган сабакта жок дегенде бир блок болушу керек",
        "en": "an integrated discipline needs at least one block",
    },
    "the working curriculum is frozen on {day} (loading {load}, correction {correction}); only the "
    "registrar office may change it, with a reason": {
        "ru": "рабочий учебный план заморожен на {day} (загрузка {load}, корректировка {correction}); "
        "изменить его может только офис регистратора, с указанием причины",
        "kk": "жұмыс оқу жоспары {day} күні бекітілген (жүктеу {load}, түзету {correction}); оны тек "
        "тіркеу кеңсесі себебін көрсетіп өзгерте алады",
        "ky": "жумушчу окуу планы {day} күнү бекитилген (жүктөө {load}, оңдоо {correction}); аны "
        "каттоо кеңсеси гана себебин көрсөтүп өзгөртө алат",
        "en": "the working curriculum is frozen on {day} (loading {load}, correction {correction}); only the "
        "registrar office may change it, with a reason",
    },
    "a change of a frozen working curriculum needs a reason": {
        "ru": "для изменения замороженного рабочего учебного плана нужна причина",
        "kk": "бекітілген жұмыс оқу жоспарын өзгерту үшін себеп керек",
        "ky": "бекитилген жумушчу окуу планын өзгөртүү үчүн себеп керек",
        "en": "a change of a frozen working curriculum needs a reason",
    },
    "{kind} is not a kind of course unit": {
        "ru": "{kind} — не вид учебной единицы",
        "kk": "{kind} — оқу бірлігінің түрі емес",
        "ky": "{kind} — окуу бирдигинин түрү эмес",
        "en": "{kind} is not a kind of course unit",
    },
    "a module is graded by the average of its modular disciplines; load those instead": {
        "ru": "оценка модуля — среднее его модульных дисциплин; назначайте нагрузку по ним",
        "kk": "модуль бағасы — оның модульдік пәндерінің орташасы; жүктемені соларға беріңіз",
        "ky": "модулдун баасы — анын модулдук сабактарынын орточосу; жүктөмдү ошолорго бериңиз",
        "en": "a module is graded by the average of its modular disciplines; load those instead",
    },
    "profile {profile} has no lesson type {kind}": {
        "ru": "в профиле {profile} нет вида занятий {kind}",
        "kk": "{profile} профилінде {kind} сабақ түрі жоқ",
        "ky": "{profile} профилинде {kind} сабак түрү жок",
        "en": "profile {profile} has no lesson type {kind}",
    },
    "removing a teaching load needs a reason (the teacher loses access)": {
        "ru": "для снятия нагрузки нужна причина (преподаватель теряет доступ)",
        "kk": "жүктемені алып тастау үшін себеп керек (оқытушы қолжетімділікті жоғалтады)",
        "ky": "жүктөмдү алып салуу үчүн себеп керек (окутуучу мүмкүнчүлүгүн жоготот)",
        "en": "removing a teaching load needs a reason (the teacher loses access)",
    },
    "name a teacher, a group, a course unit, a term or a department": {
        "ru": "укажите преподавателя, группу, дисциплину, семестр или кафедру",
        "kk": "оқытушыны, топты, пәнді, семестрді немесе кафедраны көрсетіңіз",
        "ky": "окутуучуну, топту, сабакты, семестрди же кафедраны көрсөтүңүз",
        "en": "name a teacher, a group, a course unit, a term or a department",
    },
    # curriculum: plans, schedule, structure
    "the plan must be approved at a department meeting (protocol number)": {
        "ru": "план должен быть утверждён на заседании кафедры (номер протокола)",
        "kk": "жоспар кафедра отырысында бекітілуі керек (хаттама нөмірі)",
        "ky": "план кафедранын жыйынында бекитилиши керек (протоколдун номери)",
        "en": "the plan must be approved at a department meeting (protocol number)",
    },
    "a plan lists at least one lesson": {
        "ru": "в плане должно быть хотя бы одно занятие",
        "kk": "жоспарда кемінде бір сабақ болуы керек",
        "ky": "планда жок дегенде бир сабак болушу керек",
        "en": "a plan lists at least one lesson",
    },
    "lessons must be numbered 1..{count} without gaps or repeats": {
        "ru": "занятия должны быть пронумерованы 1..{count} без пропусков и повторов",
        "kk": "сабақтар 1..{count} болып бос орынсыз және қайталаусыз нөмірленуі керек",
        "ky": "сабактар 1..{count} болуп боштуксуз жана кайталоосуз номерленүүсү керек",
        "en": "lessons must be numbered 1..{count} without gaps or repeats",
    },
    "the plan is approved after its last lesson": {
        "ru": "план утверждён после своего последнего занятия",
        "kk": "жоспар соңғы сабағынан кейін бекітілген",
        "ky": "план акыркы сабагынан кийин бекитилген",
        "en": "the plan is approved after its last lesson",
    },
    "is longer than 60 characters": {
        "ru": "длиннее 60 символов",
        "kk": "60 таңбадан ұзын",
        "ky": "60 белгиден узун",
        "en": "is longer than 60 characters",
    },
    "a subgroup's plan names its group": {
        "ru": "в плане подгруппы укажите её группу",
        "kk": "топшаның жоспарында оның тобын көрсетіңіз",
        "ky": "топчонун планында анын тобун көрсөтүңүз",
        "en": "a subgroup's plan names its group",
    },
    "plans are uploaded before the academic year starts ({day}); afterwards only the registrar office may "
    "change them, with a reason": {
        "ru": "планы загружаются до начала учебного года ({day}); после этого их меняет только офис "
        "регистратора, с указанием причины",
        "kk": "жоспарлар оқу жылы басталғанға дейін ({day}) жүктеледі; одан кейін оларды тек тіркеу "
        "кеңсесі себебін көрсетіп өзгертеді",
        "ky": "пландар окуу жылы башталганга чейин ({day}) жүктөлөт; андан кийин аларды каттоо кеңсеси "
        "гана себебин көрсөтүп өзгөртөт",
        "en": "plans are uploaded before the academic year starts ({day}); afterwards only the registrar "
        "office may change them, with a reason",
    },
    "a plan changed after the academic year started needs a reason": {
        "ru": "для изменения плана после начала учебного года нужна причина",
        "kk": "оқу жылы басталғаннан кейін жоспарды өзгерту үшін себеп керек",
        "ky": "окуу жылы башталгандан кийин планды өзгөртүү үчүн себеп керек",
        "en": "a plan changed after the academic year started needs a reason",
    },
    "cancelling a lesson needs a reason": {
        "ru": "для отмены занятия нужна причина",
        "kk": "сабақты болдырмау үшін себеп керек",
        "ky": "сабакты жокко чыгаруу үчүн себеп керек",
        "en": "cancelling a lesson needs a reason",
    },
    "name a group or a teacher": {
        "ru": "укажите группу или преподавателя",
        "kk": "топты немесе оқытушыны көрсетіңіз",
        "ky": "топту же окутуучуну көрсөтүңүз",
        "en": "name a group or a teacher",
    },
    "{value} is not an IANA time zone": {
        "ru": "{value} — не часовой пояс IANA",
        "kk": "{value} — IANA уақыт белдеуі емес",
        "ky": "{value} — IANA убакыт алкагы эмес",
        "en": "{value} is not an IANA time zone",
    },
    "a subgroup code is listed twice": {
        "ru": "код подгруппы указан дважды",
        "kk": "топша коды екі рет көрсетілген",
        "ky": "топчонун коду эки жолу көрсөтүлгөн",
        "en": "a subgroup code is listed twice",
    },
    # gradebook
    "is not a lesson of this journal": {
        "ru": "не занятие этого журнала",
        "kk": "бұл журналдың сабағы емес",
        "ky": "бул журналдын сабагы эмес",
        "en": "is not a lesson of this journal",
    },
    "at least one entry is required": {
        "ru": "нужна хотя бы одна запись",
        "kk": "кемінде бір жазба керек",
        "ky": "жок дегенде бир жазуу керек",
        "en": "at least one entry is required",
    },
    "overriding the QR check-in of entries[{index}] needs a reason": {
        "ru": "для исправления QR-отметки в entries[{index}] нужна причина",
        "kk": "entries[{index}] ішіндегі QR белгілеуді өзгерту үшін себеп керек",
        "ky": "entries[{index}] ичиндеги QR белгини өзгөртүү үчүн себеп керек",
        "en": "overriding the QR check-in of entries[{index}] needs a reason",
    },
    "must be at most {count} characters": {
        "ru": "не длиннее {count} символов",
        "kk": "{count} таңбадан аспауы керек",
        "ky": "{count} белгиден ашпашы керек",
        "en": "must be at most {count} characters",
    },
    "name a journal, a teacher or a department": {
        "ru": "укажите журнал, преподавателя или кафедру",
        "kk": "журналды, оқытушыны немесе кафедраны көрсетіңіз",
        "ky": "журналды, окутуучуну же кафедраны көрсөтүңүз",
        "en": "name a journal, a teacher or a department",
    },
    "must not be before from_date": {
        "ru": "не может быть раньше from_date",
        "kk": "from_date күнінен бұрын болмауы керек",
        "ky": "from_date күнүнөн мурун болбошу керек",
        "en": "must not be before from_date",
    },
    "a correction under a reopen grant needs a reason": {
        "ru": "для исправления по разрешению на переоткрытие нужна причина",
        "kk": "қайта ашу рұқсатымен түзету үшін себеп керек",
        "ky": "кайра ачуу уруксаты менен оңдоо үчүн себеп керек",
        "en": "a correction under a reopen grant needs a reason",
    },
    "is required so that a retry cannot write twice": {
        "ru": "обязательно, чтобы повтор не записал дважды",
        "kk": "қайталау екі рет жазбауы үшін міндетті",
        "ky": "кайталоо эки жолу жазбашы үчүн милдеттүү",
        "en": "is required so that a retry cannot write twice",
    },
    "was already used for a different request": {
        "ru": "уже использован для другого запроса",
        "kk": "басқа сұрау үшін қолданылған",
        "ky": "башка суроо-талап үчүн колдонулган",
        "en": "was already used for a different request",
    },
    "at least one cell is required": {
        "ru": "нужна хотя бы одна ячейка",
        "kk": "кемінде бір ұяшық керек",
        "ky": "жок дегенде бир уяча керек",
        "en": "at least one cell is required",
    },
    "at most {count} cells per call": {
        "ru": "не более {count} ячеек за один вызов",
        "kk": "бір шақыруда {count} ұяшықтан аспауы керек",
        "ky": "бир чакырууда {count} уячадан ашпашы керек",
        "en": "at most {count} cells per call",
    },
    "must be in the future": {
        "ru": "должно быть в будущем",
        "kk": "болашақта болуы керек",
        "ky": "келечекте болушу керек",
        "en": "must be in the future",
    },
    "is a {kind}; only a module or an integrated discipline has integrated results": {
        "ru": "это {kind}; интегрированные итоги есть только у модуля или интегрированной дисциплины",
        "kk": "бұл {kind}; біріктірілген қорытынды тек модульде не интеграцияланған пәнде болады",
        "ky": "бул {kind}; бириктирилген жыйынтык модулда же интеграцияланган сабакта гана болот",
        "en": "is a {kind}; only a module or an integrated discipline has integrated results",
    },
    # identity
    "is unknown, used or expired": {
        "ru": "неизвестен, уже использован или истёк",
        "kk": "белгісіз, қолданылған немесе мерзімі өткен",
        "ky": "белгисиз, колдонулган же мөөнөтү өткөн",
        "en": "is unknown, used or expired",
    },
    "is wrong": {
        "ru": "неверно",
        "kk": "қате",
        "ky": "туура эмес",
        "en": "is wrong",
    },
    "must differ from the current password": {
        "ru": "должен отличаться от текущего пароля",
        "kk": "қазіргі құпиясөзден өзгеше болуы керек",
        "ky": "азыркы сырсөздөн башкача болушу керек",
        "en": "must differ from the current password",
    },
    # reporting
    "choose the document to print": {
        "ru": "выберите документ для печати",
        "kk": "басып шығаратын құжатты таңдаңыз",
        "ky": "басып чыгаруучу документти тандаңыз",
        "en": "choose the document to print",
    },
    "choose DOCUMENT_FORMAT_PDF or DOCUMENT_FORMAT_XLSX": {
        "ru": "выберите DOCUMENT_FORMAT_PDF или DOCUMENT_FORMAT_XLSX",
        "kk": "DOCUMENT_FORMAT_PDF немесе DOCUMENT_FORMAT_XLSX таңдаңыз",
        "ky": "DOCUMENT_FORMAT_PDF же DOCUMENT_FORMAT_XLSX тандаңыз",
        "en": "choose DOCUMENT_FORMAT_PDF or DOCUMENT_FORMAT_XLSX",
    },
    "is required without a known case_id": {
        "ru": "обязательно, если не указан известный case_id",
        "kk": "белгілі case_id көрсетілмесе, міндетті",
        "ky": "белгилүү case_id көрсөтүлбөсө, милдеттүү",
        "en": "is required without a known case_id",
    },
    "upload the statement's PDF": {
        "ru": "загрузите PDF ведомости",
        "kk": "ведомостің PDF файлын жүктеңіз",
        "ky": "ведомосттун PDF файлын жүктөңүз",
        "en": "upload the statement's PDF",
    },
    "is not a PDF this service can read": {
        "ru": "не PDF, который может прочитать этот сервис",
        "kk": "бұл қызмет оқи алатын PDF емес",
        "ky": "бул кызмат окуй ала турган PDF эмес",
        "en": "is not a PDF this service can read",
    },
    "choose one of {kinds}": {
        "ru": "выберите одно из: {kinds}",
        "kk": "мыналардың бірін таңдаңыз: {kinds}",
        "ky": "булардын бирин тандаңыз: {kinds}",
        "en": "choose one of {kinds}",
    },
    "choose PDF or XLSX": {
        "ru": "выберите PDF или XLSX",
        "kk": "PDF немесе XLSX таңдаңыз",
        "ky": "PDF же XLSX тандаңыз",
        "en": "choose PDF or XLSX",
    },
    "is required (the idempotency key of this report)": {
        "ru": "обязательно (ключ идемпотентности этого отчёта)",
        "kk": "міндетті (осы есептің идемпотенттілік кілті)",
        "ky": "милдеттүү (бул отчеттун идемпотенттүүлүк ачкычы)",
        "en": "is required (the idempotency key of this report)",
    },
    "must be a percentage from 0 to 100": {
        "ru": "должно быть процентом от 0 до 100",
        "kk": "0-ден 100-ге дейінгі пайыз болуы керек",
        "ky": "0дөн 100гө чейинки пайыз болушу керек",
        "en": "must be a percentage from 0 to 100",
    },
    "a term or an academic year is required": {
        "ru": "нужен семестр или учебный год",
        "kk": "семестр немесе оқу жылы керек",
        "ky": "семестр же окуу жылы керек",
        "en": "a term or an academic year is required",
    },
    "the term has no statement to print": {
        "ru": "в семестре нет ведомостей для печати",
        "kk": "семестрде басып шығаратын ведомость жоқ",
        "ky": "семестрде басып чыгара турган ведомость жок",
        "en": "the term has no statement to print",
    },
    "is required for the curators' list": {
        "ru": "обязательно для списка кураторов",
        "kk": "кураторлар тізімі үшін міндетті",
        "ky": "кураторлордун тизмеси үчүн милдеттүү",
        "en": "is required for the curators' list",
    },
    "{start} is after to_date {end}": {
        "ru": "{start} позже to_date {end}",
        "kk": "{start} to_date {end} күнінен кейін",
        "ky": "{start} to_date {end} күнүнөн кийин",
        "en": "{start} is after to_date {end}",
    },
    # subscribers
    "required": {
        "ru": "обязательное поле", "kk": "міндетті өріс", "ky": "милдеттүү талаа", "en": "required",
    },
    "not a UUID": {
        "ru": "не идентификатор (UUID)", "kk": "идентификатор (UUID) емес",
        "ky": "идентификатор (UUID) эмес", "en": "not a UUID",
    },
    "delivery ids are numbers": {
        "ru": "номера доставок — это числа", "kk": "жеткізу нөмірлері — сандар",
        "ky": "жеткирүү номерлери — сандар", "en": "delivery ids are numbers",
    },
    # workflow
    "needs an offset, e.g. 2026-12-25T18:00:00+05:00": {
        "ru": "нужно смещение часового пояса, например 2026-12-25T18:00:00+05:00",
        "kk": "уақыт белдеуінің ығысуы керек, мысалы 2026-12-25T18:00:00+05:00",
        "ky": "убакыт алкагынын жылышы керек, мисалы 2026-12-25T18:00:00+05:00",
        "en": "needs an offset, e.g. 2026-12-25T18:00:00+05:00",
    },
    "{role} gives no visa here; visas: {roles}": {
        "ru": "{role} здесь не визирует; визы: {roles}",
        "kk": "{role} мұнда виза бермейді; визалар: {roles}",
        "ky": "{role} бул жерде виза бербейт; визалар: {roles}",
        "en": "{role} gives no visa here; visas: {roles}",
    },
    "say why the visa is refused": {
        "ru": "укажите, почему в визе отказано",
        "kk": "визадан неге бас тартылғанын көрсетіңіз",
        "ky": "визадан эмне үчүн баш тартылганын көрсөтүңүз",
        "en": "say why the visa is refused",
    },
    "the council's protocol reference is required": {
        "ru": "нужна ссылка на протокол совета",
        "kk": "кеңес хаттамасына сілтеме керек",
        "ky": "кеңештин протоколуна шилтеме керек",
        "en": "the council's protocol reference is required",
    },
    "say why the council rejects the request": {
        "ru": "укажите, почему совет отклоняет заявку",
        "kk": "кеңес өтінімді неге қабылдамайтынын көрсетіңіз",
        "ky": "кеңеш арызды эмне үчүн четке какканын көрсөтүңүз",
        "en": "say why the council rejects the request",
    },
    "say why the case is withdrawn": {
        "ru": "укажите, почему заявка отозвана",
        "kk": "өтінім неге кері қайтарылғанын көрсетіңіз",
        "ky": "арыз эмне үчүн кайтарылганын көрсөтүңүз",
        "en": "say why the case is withdrawn",
    },
    "name the protocol or order (number and date)": {
        "ru": "укажите протокол или приказ (номер и дату)",
        "kk": "хаттаманы немесе бұйрықты көрсетіңіз (нөмірі мен күні)",
        "ky": "протоколду же буйрукту көрсөтүңүз (номери жана күнү)",
        "en": "name the protocol or order (number and date)",
    },
    "{kind} is not a corrective measure; allowed: {allowed}": {
        "ru": "{kind} — не корректирующая мера; допустимы: {allowed}",
        "kk": "{kind} — түзету шарасы емес; рұқсат етілгендері: {allowed}",
        "ky": "{kind} — оңдоо чарасы эмес; жарактуулары: {allowed}",
        "en": "{kind} is not a corrective measure; allowed: {allowed}",
    },
    "describe the measure (what, for whom, when)": {
        "ru": "опишите меру (что, для кого, когда)",
        "kk": "шараны сипаттаңыз (не, кімге, қашан)",
        "ky": "чараны сүрөттөңүз (эмне, кимге, качан)",
        "en": "describe the measure (what, for whom, when)",
    },
    "{value} is not a date like 2026-11-23": {
        "ru": "{value} — не дата вида 2026-11-23",
        "kk": "{value} — 2026-11-23 түріндегі күн емес",
        "ky": "{value} — 2026-11-23 түрүндөгү күн эмес",
        "en": "{value} is not a date like 2026-11-23",
    },
    "{value} is not a date like 2026-11-10": {
        "ru": "{value} — не дата вида 2026-11-10",
        "kk": "{value} — 2026-11-10 түріндегі күн емес",
        "ky": "{value} — 2026-11-10 түрүндөгү күн эмес",
        "en": "{value} is not a date like 2026-11-10",
    },
    "is required (a retry with the same id returns the same case)": {
        "ru": "обязательно (повтор с тем же id вернёт ту же заявку)",
        "kk": "міндетті (сол id-мен қайталау сол өтінімді қайтарады)",
        "ky": "милдеттүү (ошол эле id менен кайталоо ошол эле арызды кайтарат)",
        "en": "is required (a retry with the same id returns the same case)",
    },
    "is required (a retry with the same id records nothing twice)": {
        "ru": "обязательно (повтор с тем же id ничего не запишет дважды)",
        "kk": "міндетті (сол id-мен қайталау ештеңені екі рет жазбайды)",
        "ky": "милдеттүү (ошол эле id менен кайталоо эч нерсени эки жолу жазбайт)",
        "en": "is required (a retry with the same id records nothing twice)",
    },
    "say why the late explanation is admitted": {
        "ru": "укажите, почему принимается запоздалая объяснительная",
        "kk": "кешіккен түсініктеме неге қабылданатынын көрсетіңіз",
        "ky": "кечиккен түшүндүрмө эмне үчүн кабыл алынарын көрсөтүңүз",
        "en": "say why the late explanation is admitted",
    },
    "is not a teacher of this journal": {
        "ru": "не преподаватель этого журнала",
        "kk": "бұл журналдың оқытушысы емес",
        "ky": "бул журналдын окутуучусу эмес",
        "en": "is not a teacher of this journal",
    },
    "name a faculty or a department and its id": {
        "ru": "укажите факультет или кафедру и её идентификатор",
        "kk": "факультетті немесе кафедраны және оның идентификаторын көрсетіңіз",
        "ky": "факультетти же кафедраны жана анын идентификаторун көрсөтүңүз",
        "en": "name a faculty or a department and its id",
    },
    "is not this journal's group ({group})": {
        "ru": "не группа этого журнала ({group})",
        "kk": "бұл журналдың тобы емес ({group})",
        "ky": "бул журналдын тобу эмес ({group})",
        "en": "is not this journal's group ({group})",
    },
    "is not this journal's specialty ({specialty})": {
        "ru": "не специальность этого журнала ({specialty})",
        "kk": "бұл журналдың мамандығы емес ({specialty})",
        "ky": "бул журналдын адистиги эмес ({specialty})",
        "en": "is not this journal's specialty ({specialty})",
    },
    "must be a date of this section: after {after}, on or before {until}": {
        "ru": "должна быть датой этого раздела: после {after}, не позже {until}",
        "kk": "осы бөлімнің күні болуы керек: {after} кейін, {until} кешіктірмей",
        "ky": "ушул бөлүмдүн күнү болушу керек: {after} кийин, {until} кечиктирбей",
        "en": "must be a date of this section: after {after}, on or before {until}",
    },
    "must be a date of this section: on or before {until}": {
        "ru": "должна быть датой этого раздела: не позже {until}",
        "kk": "осы бөлімнің күні болуы керек: {until} кешіктірмей",
        "ky": "ушул бөлүмдүн күнү болушу керек: {until} кечиктирбей",
        "en": "must be a date of this section: on or before {until}",
    },
}  # fmt: skip


# FastAPI's own schema errors (pydantic's error `type`; `{names}` come from the error's `ctx`), worded in
# the user's language by `i18n.schema_reason`. A type not listed keeps pydantic's English message.
SCHEMA_REASONS: dict[str, dict[str, str]] = {
    "missing": {"ru": "обязательное поле", "kk": "міндетті өріс", "ky": "милдеттүү талаа", "en": "is required"},
    "uuid_parsing": {
        "ru": "должно быть идентификатором (UUID)", "kk": "идентификатор (UUID) болуы керек",
        "ky": "идентификатор (UUID) болушу керек", "en": "must be a UUID",
    },
    "int_parsing": {
        "ru": "должно быть целым числом", "kk": "бүтін сан болуы керек", "ky": "бүтүн сан болушу керек",
        "en": "must be a whole number",
    },
    "float_parsing": {
        "ru": "должно быть числом", "kk": "сан болуы керек", "ky": "сан болушу керек", "en": "must be a number",
    },
    "finite_number": {
        "ru": "должно быть конечным числом", "kk": "шектеулі сан болуы керек",
        "ky": "чектүү сан болушу керек", "en": "must be a finite number",
    },
    "bool_parsing": {
        "ru": "должно быть true или false", "kk": "true немесе false болуы керек",
        "ky": "true же false болушу керек", "en": "must be true or false",
    },
    "string_type": {
        "ru": "должно быть строкой", "kk": "мәтін болуы керек", "ky": "текст болушу керек", "en": "must be text",
    },
    "string_too_short": {
        "ru": "не короче {min_length} символов", "kk": "кемінде {min_length} таңба болуы керек",
        "ky": "жок дегенде {min_length} белги болушу керек", "en": "must have at least {min_length} characters",
    },
    "string_too_long": {
        "ru": "не длиннее {max_length} символов", "kk": "{max_length} таңбадан аспауы керек",
        "ky": "{max_length} белгиден ашпашы керек", "en": "must have at most {max_length} characters",
    },
    "too_short": {
        "ru": "не меньше {min_length} элементов", "kk": "кемінде {min_length} элемент болуы керек",
        "ky": "жок дегенде {min_length} элемент болушу керек", "en": "must have at least {min_length} items",
    },
    "too_long": {
        "ru": "не больше {max_length} элементов", "kk": "{max_length} элементтен аспауы керек",
        "ky": "{max_length} элементтен ашпашы керек", "en": "must have at most {max_length} items",
    },
    "greater_than_equal": {
        "ru": "должно быть не меньше {ge}", "kk": "{ge} немесе одан көп болуы керек",
        "ky": "{ge} же андан көп болушу керек", "en": "must be {ge} or more",
    },
    "greater_than": {
        "ru": "должно быть больше {gt}", "kk": "{gt} мәнінен көп болуы керек",
        "ky": "{gt} маанисинен көп болушу керек", "en": "must be more than {gt}",
    },
    "less_than_equal": {
        "ru": "должно быть не больше {le}", "kk": "{le} немесе одан аз болуы керек",
        "ky": "{le} же андан аз болушу керек", "en": "must be {le} or less",
    },
    "less_than": {
        "ru": "должно быть меньше {lt}", "kk": "{lt} мәнінен аз болуы керек",
        "ky": "{lt} маанисинен аз болушу керек", "en": "must be less than {lt}",
    },
    "enum": {
        "ru": "допустимы: {expected}", "kk": "рұқсат етілгендері: {expected}",
        "ky": "жарактуулары: {expected}", "en": "must be one of: {expected}",
    },
    "literal_error": {
        "ru": "допустимы: {expected}", "kk": "рұқсат етілгендері: {expected}",
        "ky": "жарактуулары: {expected}", "en": "must be one of: {expected}",
    },
    "date_parsing": {
        "ru": "должно быть датой (ГГГГ-ММ-ДД)", "kk": "күн болуы керек (ЖЖЖЖ-АА-КК)",
        "ky": "күн болушу керек (ЖЖЖЖ-АА-КК)", "en": "must be a date (YYYY-MM-DD)",
    },
    "date_from_datetime_parsing": {
        "ru": "должно быть датой (ГГГГ-ММ-ДД)", "kk": "күн болуы керек (ЖЖЖЖ-АА-КК)",
        "ky": "күн болушу керек (ЖЖЖЖ-АА-КК)", "en": "must be a date (YYYY-MM-DD)",
    },
    "datetime_parsing": {
        "ru": "должно быть датой и временем (ISO 8601)", "kk": "күн мен уақыт болуы керек (ISO 8601)",
        "ky": "күн жана убакыт болушу керек (ISO 8601)", "en": "must be a date and time (ISO 8601)",
    },
    "datetime_from_date_parsing": {
        "ru": "должно быть датой и временем (ISO 8601)", "kk": "күн мен уақыт болуы керек (ISO 8601)",
        "ky": "күн жана убакыт болушу керек (ISO 8601)", "en": "must be a date and time (ISO 8601)",
    },
    "json_invalid": {
        "ru": "некорректный JSON", "kk": "JSON қате", "ky": "JSON туура эмес", "en": "is not valid JSON",
    },
    "list_type": {
        "ru": "должно быть списком", "kk": "тізім болуы керек", "ky": "тизме болушу керек", "en": "must be a list",
    },
    "dict_type": {
        "ru": "должно быть объектом", "kk": "объект болуы керек", "ky": "объект болушу керек",
        "en": "must be an object",
    },
    "model_attributes_type": {
        "ru": "должно быть объектом", "kk": "объект болуы керек", "ky": "объект болушу керек",
        "en": "must be an object",
    },
    "extra_forbidden": {
        "ru": "неизвестное поле", "kk": "белгісіз өріс", "ky": "белгисиз талаа", "en": "is not a known field",
    },
    "string_pattern_mismatch": {
        "ru": "не соответствует ожидаемому виду", "kk": "күтілген түрге сәйкес емес",
        "ky": "күтүлгөн түргө туура келбейт", "en": "does not have the expected form",
    },
}  # fmt: skip
