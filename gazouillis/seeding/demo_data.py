"""The demo community's people, sentences and conversations (data of ``gazouillis seed demo``)."""

from __future__ import annotations

import random
from dataclasses import dataclass

PENDING_REQUESTS = (("karim_allezfc", "chloe_b"), ("emma_studies", "prof_jenkins"))
# Follows that always happen: people who know each other (the locked accounts accept them).
ACQUAINTANCES = (
    ("dr_ines", "prof_jenkins"),
    ("ana_reads", "prof_jenkins"),
    ("lea_photo", "chloe_b"),
    ("camille_cm", "chloe_b"),
    ("devnico", "meteo_bot"),
    ("lea_photo", "maya_lens"),
    ("maya_lens", "lea_photo"),
)


@dataclass(frozen=True)
class DemoAccount:
    """One member of the demo community and the things they like to say."""

    username: str
    display_name: str
    note: str
    langs: tuple[str, ...]  # the first one is the account's default language
    popularity: float  # 0..1: how likely the others are to follow (and like) this account
    lines: dict[str, tuple[str, ...]]  # language -> posts; "{friend}" and "{n}" are filled in
    website: str = ""
    locked: bool = False
    bot: bool = False
    kind: str = "person"  # news, shop, photo, bot or person: which answers fit its posts


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "gazette",
        "La Gazette de Saint-Aubin",
        "Le journal local de Saint-Aubin, depuis 1987. Infos, agenda, vie des quartiers. "
        "Vos tuyaux : redaction@example.org",
        ("fr",),
        0.85,
        website="https://example.org/gazette",
        kind="news",
        lines={
            "fr": (
                "Travaux rue Victor-Hugo : circulation alternée jusqu'à vendredi. Le détail des déviations : "
                "https://example.org/gazette/travaux-victor-hugo #SaintAubin",
                "Le marché couvert rouvre samedi après six mois de rénovation. Reportage photo de @lea_photo "
                "👉 https://example.org/gazette/marche-couvert",
                "Conseil municipal ce soir à 19h : budget participatif, cantines et pistes cyclables au "
                "menu. #SaintAubin",
                "Le club de foot local monte en Régionale 1 ! Une première depuis {n} ans. #football #FCSA",
                "Notre enquête sur les loyers du centre-ville est en ligne. Merci à toutes celles et ceux "
                "qui ont répondu : https://example.org/gazette/enquete-loyers",
                "Fermeture exceptionnelle de la piscine municipale ce week-end pour vidange. Réouverture "
                "lundi 7h.",
                "Appel à témoins : vous avez des photos du quartier de la gare dans les années 80 ? "
                "Écrivez-nous, on prépare un numéro spécial.",
                "La fête de la musique se prépare : {n} scènes annoncées dans le centre. Programme complet "
                "jeudi. #FêteDeLaMusique",
                "Correction : dans notre article d'hier, la boulangerie citée est bien @boulangerie_martin "
                "et non sa voisine. Toutes nos excuses.",
                "Le vide-grenier du quartier des Tilleuls a lieu dimanche, de 8h à 17h. Les inscriptions "
                "sont closes.",
                "Revue de presse du matin : canicule annoncée, grève des bus reportée et un hérisson sauvé "
                "par des collégiens. #SaintAubin",
                "Vous êtes de plus en plus nombreux à nous suivre ici. Bienvenue ! Dites-nous ce que vous "
                "aimeriez lire.",
                "Dans nos pages : Gérard, 40 ans de jardin partagé et toujours autant de tomates. "
                "https://example.org/gazette/portrait-jardin #jardinage",
                "Bus : la ligne 3 est déviée jusqu'à nouvel ordre à cause d'un affaissement de chaussée rue "
                "des Lilas.",
            )
        },
    ),
    DemoAccount(
        "boulangerie_martin",
        "Boulangerie Martin",
        "Pain au levain, viennoiseries pur beurre et café de quartier. Ouvert du mardi au dimanche, "
        "7h–19h30. 🥖",
        ("fr",),
        0.55,
        website="https://example.org/boulangerie-martin",
        kind="shop",
        lines={
            "fr": (
                "Le pain du jour : seigle et noix. Il en reste une quinzaine, premiers arrivés… 🥖 "
                "#boulangerie",
                "Nouveau : on sert maintenant du #café torréfié à 10 km d'ici. La première tasse est "
                "offerte.",
                "Fermé exceptionnellement mardi prochain, toute l'équipe part en formation. On revient avec "
                "de nouvelles recettes !",
                "Les galettes des rois sont de retour ! Frangipane classique ou pomme-caramel, à réserver "
                "dès aujourd'hui.",
                "Merci {friend} pour la jolie photo de la vitrine ❤️",
                "On recrute : un·e apprenti·e boulanger·e pour la rentrée. Passez nous voir avec votre CV.",
                "Astuce du samedi : un pain de la veille, 5 minutes au four à 180 °C, et il retrouve tout "
                "son croustillant. #boulangerie",
                "Rupture de croissants à 9h15, record battu. Une fournée arrive, {n} minutes de patience ☕",
            )
        },
    ),
    DemoAccount(
        "camille_cm",
        "Camille Durand",
        "Community manager le jour, lectrice la nuit. Je parle réseaux, modération et chats. Avis perso.",
        ("fr",),
        0.5,
        lines={
            "fr": (
                "Petit rappel de CM : répondre vite, c'est bien. Répondre juste, c'est mieux.",
                "Je découvre ce réseau et honnêtement c'est plus calme qu'ailleurs. J'aime bien. 🌿",
                "Atelier « modérer une communauté sans s'épuiser » jeudi à la médiathèque. Il reste {n} "
                "places : https://example.org/atelier-moderation",
                "Qui a des conseils pour écrire des textes alternatifs utiles pour les images ? Je prends "
                "vos ressources. #accessibilité",
                "Le chat a décidé que mon clavier était un lit. Réunion annulée. 🐈",
                "Une bonne communauté, c'est quand les gens se répondent entre eux sans toi. Objectif "
                "atteint ce matin 🥲",
                "Contente de voir autant de commerces du quartier arriver ici. Coucou @boulangerie_martin !",
                "Rappel bienveillant : vous avez le droit de couper les notifications le week-end.",
            )
        },
    ),
    DemoAccount(
        "devnico",
        "Nicolas Petit",
        "Développeur backend, Python et PostgreSQL. Contributeur #OpenSource à mes heures. Il/lui.",
        ("fr", "en"),
        0.6,
        website="https://example.org/~nico",
        lines={
            "fr": (
                "Journée à traquer un bug de fuseau horaire. Spoiler : c'était encore l'heure d'été. #Python",
                "Petit rappel : vos migrations de base de données doivent être réversibles. Votre futur vous "
                "dira merci.",
                "Nouvelle version de ma petite bibliothèque de pagination : "
                "https://example.org/~nico/pagination-0-4 #OpenSource",
                "Les revues de code, c'est aussi l'occasion de dire « bien joué ». Faites-le plus souvent.",
                "Café, clavier, et {n} tickets à fermer avant midi. On y va. #café",
            ),
            "en": (
                "Hot take: most performance problems are missing indexes. The rest are N+1 queries. "
                "#PostgreSQL",
                "Just merged my first PR into a project I've used for years. Feels good! #OpenSource",
                "Reading the SQLite docs for fun again. That file format is a work of art.",
                "TIL PostgreSQL does that with one window function. I just deleted 80 lines of Python. "
                "#PostgreSQL",
                "Pair programming with @sarah_codes today, learned three new git tricks in an hour.",
            ),
        },
    ),
    DemoAccount(
        "sarah_codes",
        "Sarah Mitchell",
        "Frontend dev & accessibility nerd. Maintainer of a few small #OpenSource things. Tea over coffee.",
        ("en",),
        0.55,
        website="https://example.org/sarah",
        lines={
            "en": (
                "Reminder: a button that is a div is not a button. #AccessibilityMatters",
                "Spent the morning writing docs instead of code and I regret nothing. Good docs are "
                "features. #OpenSource",
                "New blog post: keyboard navigation for custom dropdowns, the parts everyone forgets. "
                "https://example.org/sarah/keyboard-dropdowns",
                "Triaged {n} issues today. Closed half of them as duplicates of the same bug. Classic.",
                "Shout out to @devnico for the thoughtful code review. That's how you make a project "
                "welcoming.",
                "Tea count: 4. Bugs fixed: 1. Bugs created: 2. Net negative, going for a walk.",
                "If your app breaks at 200% zoom, it's broken. Test it today, it takes two minutes. "
                "#AccessibilityMatters",
                "Our little project just crossed {n} contributors. Thank you all, seriously. 💜 #OpenSource",
            )
        },
    ),
    DemoAccount(
        "lea_photo",
        "Léa Moreau 📷",
        "Photographe. Portraits, rues, lumière du matin. Expo en cours à la médiathèque de Saint-Aubin.",
        ("fr",),
        0.6,
        website="https://example.org/lea-moreau",
        kind="photo",
        lines={
            "fr": (
                "Lever de soleil sur le canal ce matin, brume parfaite. Il fallait juste se lever à 5h30. "
                "#photographie",
                "Mon expo « Visages du marché » est prolongée jusqu'à la fin du mois ! Merci pour vos "
                "retours. https://example.org/lea-moreau/expo",
                "Question aux photographes : vous retouchez vos photos de rue ou vous les laissez brutes ? "
                "#photographie",
                "Séance portrait chez @boulangerie_martin ce matin, avec l'odeur du pain chaud en prime. 🥐",
                "Petit rappel : demandez toujours avant de photographier quelqu'un de près. Toujours.",
                "Le 50 mm est l'objectif le plus honnête qui existe. Je ne changerai pas d'avis. "
                "#photographie",
                "Il pleut, la lumière est grise et douce : le meilleur temps pour les portraits, "
                "contrairement à ce qu'on croit.",
            )
        },
    ),
    DemoAccount(
        "ville_staubin",
        "Ville de Saint-Aubin",
        "Compte officiel de la Ville de Saint-Aubin. Infos pratiques, travaux, événements. Modéré du lundi "
        "au vendredi.",
        ("fr",),
        0.7,
        website="https://example.org/ville",
        kind="news",
        lines={
            "fr": (
                "📢 Les inscriptions au centre de loisirs d'été sont ouvertes jusqu'au {n} juin. Dossier en "
                "ligne : https://example.org/ville/centre-loisirs",
                "Collecte des encombrants : le calendrier par quartier est sur notre site. "
                "https://example.org/ville/encombrants",
                "Alerte #météo : vigilance orange orages cet après-midi. Évitez les berges ; les jardins "
                "publics ferment à 14h.",
                "Budget participatif : {n} projets proposés par les habitants sont soumis au vote. Vous avez "
                "jusqu'à dimanche ! #SaintAubin",
                "La nouvelle piste cyclable de l'avenue Jean-Jaurès est ouverte. Merci de votre patience "
                "pendant les travaux. #vélo",
                "Rappel : la mairie sera fermée le lundi de Pentecôte. Les services d'urgence restent "
                "joignables.",
                "Le conseil municipal des jeunes recrute ! Tu as entre 11 et 17 ans et des idées pour la "
                "ville ? Candidature avant le 30.",
                "Opération « Nettoyons nos berges » samedi à 10h, rendez-vous au pont de pierre. Gants et "
                "sacs fournis.",
                "Dernier jour pour voter pour le budget participatif ! Ça se passe ici : "
                "https://example.org/ville/budget-participatif #SaintAubin",
                "Canicule : la salle des fêtes est ouverte de 12h à 18h comme lieu rafraîchi. Pensez à vos "
                "voisins âgés. #météo",
            )
        },
    ),
    DemoAccount(
        "karim_allezfc",
        "Karim ⚽",
        "Supporter du FC Saint-Aubin depuis tout petit. Tribune nord, écharpe verte, voix cassée le "
        "dimanche soir.",
        ("fr",),
        0.3,
        lines={
            "fr": (
                "VICTOIRE 3-1 ! Quel match, quelle ambiance en tribune nord ! 💚 #football #FCSA",
                "Défaite frustrante ce soir. L'arbitre n'y est pour rien, on a juste mal joué. On se relève. "
                "#FCSA",
                "Qui vient au déplacement samedi ? Il reste {n} places dans le car des supporters. #FCSA",
                "Notre gardien mérite une statue. Trois arrêts décisifs en dix minutes. #football",
                "Merci @gazette pour le bel article sur les bénévoles du club, ils le méritent tellement.",
                "Match reporté à cause de la pluie, terrain impraticable. Je vais devoir trouver autre chose "
                "à faire de mon dimanche 😩",
                "Petit pronostic pour dimanche : 2-0 pour nous, but de la tête à la 80e. Notez-le. #FCSA",
                "Dimanche, c'est le derby. Je n'ai pas dormi depuis jeudi. #FCSA",
            )
        },
    ),
    DemoAccount(
        "dr_ines",
        "Dr Inès Benali",
        "Chercheuse en climatologie urbaine 🌡️ Îlots de chaleur, arbres et données ouvertes. "
        "Posts in French and English.",
        ("fr", "en"),
        0.55,
        website="https://example.org/ines-benali",
        lines={
            "fr": (
                "Mesure du jour : {n} °C d'écart entre la place de la mairie et le parc, à 200 mètres de "
                "distance. Les arbres, ça marche. #climat",
                "Notre article sur les îlots de chaleur à Saint-Aubin est publié, en accès libre : "
                "https://example.org/ines-benali/ilots-chaleur #ScienceOuverte",
                "Je cherche des volontaires pour installer des capteurs de température sur leur balcon cet "
                "été. Intéressé·es ? Répondez ici !",
                "Conférence grand public jeudi à la médiathèque : « Pourquoi ma rue est-elle une fournaise "
                "? ». Entrée libre.",
            ),
            "en": (
                "Our urban heat paper is out, and the data is open too: "
                "https://example.org/ines-benali/heat-data #ClimateScience #OpenData",
                "Reviewer 2 asked for {n} more figures. Reviewer 2 is right, unfortunately. #AcademicLife",
                "Field day: installed sensors on six rooftops. My legs hate me. #ClimateScience",
                "Great discussion with {friend} about open data licences today. Science moves faster when "
                "data is shared.",
            ),
        },
    ),
    DemoAccount(
        "tom_etu",
        "Tom",
        "Étudiant en L2 d'histoire. Café, révisions et mauvais jeux de mots.",
        ("fr",),
        0.2,
        lines={
            "fr": (
                "Partiel d'histoire moderne dans 3 jours et je découvre ce matin qu'il y a un chapitre de "
                "plus. #révisions",
                "Quatrième #café de la journée, je crois que je peux entendre les couleurs.",
                "La BU ferme à 20h pendant les partiels, qui a décidé ça ?? #révisions",
                "J'ai eu {n}/20 au dossier ! Après trois nuits blanches, je prends. 🎉",
                "Les croissants de @boulangerie_martin sont la seule raison pour laquelle j'arrive en cours "
                "à 8h.",
                "Quelqu'un a des fiches sur la révolution industrielle ? Je paie en viennoiseries.",
                "La BU prête des jeux de société. Mes révisions viennent de prendre un tournant. #révisions",
                "Vacances ! Je dors jusqu'à midi et je ne veux entendre parler d'aucune date avant "
                "septembre.",
            )
        },
    ),
    DemoAccount(
        "riverside_post",
        "The Riverside Post",
        "Independent local news for Riverside and around. Tips: news@example.org",
        ("en",),
        0.75,
        website="https://example.org/riverside",
        kind="news",
        lines={
            "en": (
                "Breaking: the Riverside footbridge closes for repairs from Monday for {n} weeks. Detours "
                "here: https://example.org/riverside/footbridge",
                "Council approves the new library budget after a three-hour debate. Full story: "
                "https://example.org/riverside/library-budget",
                "Weekend guide: farmers market, open studios and a jazz night by the river. "
                "https://example.org/riverside/weekend",
                "We're looking for readers' photos of last night's storm. Reply here, with credit of course.",
                "Correction: yesterday's story misnamed the school's headteacher. We've updated the article "
                "and apologise.",
                "Local bakery wins a regional award for its sourdough. Congratulations to the whole team! "
                "#sourdough",
                "Our twin town Saint-Aubin celebrates 30 years of friendship with Riverside this summer. "
                "Bonjour, @gazette! 👋",
                "Rail strike update: services expected to resume tomorrow morning, with reduced timetables "
                "until Friday.",
                "Poll results: {n}% of readers want more coverage of local sport. Message received.",
                "Reminder: the footbridge is closed from Monday. Buses 12 and 14 stop on Mill Street "
                "instead.",
                "Opinion: Riverside needs more benches. Yes, benches. Hear us out. "
                "https://example.org/riverside/benches",
            )
        },
    ),
    DemoAccount(
        "oliver_bakes",
        "Oliver",
        "Home baker, sourdough obsessive, occasional cake disaster. Riverside.",
        ("en",),
        0.3,
        lines={
            "en": (
                "Day 6 of my new sourdough starter. It smells like apples and ambition. #sourdough",
                "Finally got an open crumb! Only took {n} attempts and a kitchen full of flour. #sourdough",
                "Visiting Saint-Aubin next month. Is @boulangerie_martin as good as everyone says?",
                "Cake disaster of the week: forgot the sugar. My neighbours were very polite about it.",
                "Hot tip: weigh your ingredients. Cups are chaos. #baking",
                "Made cinnamon buns for the office and now I have {n} new best friends.",
                "Tried a French recipe for pain de campagne. Merci, internet. #sourdough",
            )
        },
    ),
    DemoAccount(
        "maya_lens",
        "Maya Okafor",
        "Travel & street photographer. Currently somewhere between two trains. Prints: see link.",
        ("en",),
        0.45,
        website="https://example.org/maya",
        kind="photo",
        lines={
            "en": (
                "Golden hour in the old town. Some days the light does all the work. #photography",
                "New print series is up: 'Windows of Riverside'. https://example.org/maya/windows "
                "#photography",
                "Shot a whole roll of film today and I won't know if any of it worked for two weeks. I love "
                "this.",
                "Loved the exhibition by @lea_photo. The portraits are so honest.",
                "Which do you prefer for street photography: 28mm or 35mm? Wrong answers only. #photography",
                "Rain, neon, reflections. Tonight's walk was worth getting soaked.",
                "Spent the afternoon printing in the darkroom. Smells like vinegar, feels like magic. "
                "#photography",
            )
        },
    ),
    DemoAccount(
        "prof_jenkins",
        "Prof. Alan Jenkins",
        "Linguist. I study how online communities invent words. Locked account: I accept people I know.",
        ("en",),
        0.25,
        locked=True,
        lines={
            "en": (
                "Lecture notes finally done. Next week: how hashtags change the way we write.",
                "Fascinating: students now use 'ratio' as a verb in essays. I am not marking it down. Yet.",
                "Marking {n} essays this weekend. Send tea.",
                "Our reading group is building a French-English code-switching corpus. Suggestions welcome.",
                "The conference accepted my talk on multilingual microblogging! See some of you in October.",
                "New word from today's seminar: 'doomscrolling'. Its French cousin is far less catchy.",
                "Office hours moved to Thursday this week. Students, you know where to find me.",
            )
        },
    ),
    DemoAccount(
        "emma_studies",
        "Emma",
        "Biology student, plant parent, chronic overthinker. She/her.",
        ("en",),
        0.2,
        lines={
            "en": (
                "Library at 8am, somehow already full. Who are these people. #StudyGram",
                "My cactus flowered! After three years! I'm so proud of it 🌵",
                "Lab report due tomorrow and my data makes no sense. Cool cool cool.",
                "Shout out to {friend} for explaining statistics better than my lecturer did.",
                "Took a day off studying and feel guilty about it, which is the opposite of the point.",
                "Exams over!! {n} hours of sleep tonight, minimum.",
                "Repotted all my plants today. They look happier than I do. 🌱",
            )
        },
    ),
    DemoAccount(
        "meteo_bot",
        "Météo Saint-Aubin 🤖",
        "Bot : la météo de Saint-Aubin chaque matin à 7h. Données indicatives. Géré par @devnico.",
        ("fr",),
        0.4,
        bot=True,
        kind="bot",
        lines={},  # its posts are written by weather_report()
    ),
    DemoAccount(
        "jules_velo",
        "Jules à vélo",
        "Vélotaf toute l'année, association Saint-Aubin à Vélo. Pour des rues où les enfants vont à l'école "
        "seuls.",
        ("fr",),
        0.35,
        website="https://example.org/saint-aubin-a-velo",
        lines={
            "fr": (
                "{n} km ce matin pour aller au boulot, sous la pluie, avec le sourire. #vélo",
                "La nouvelle piste de l'avenue Jean-Jaurès est top, mais qui a eu l'idée du poteau au milieu "
                "? #vélo #SaintAubin",
                "Vélorution samedi 14h devant la mairie ! Venez avec vos enfants, vos vélos cargo, vos "
                "sonnettes. #vélo",
                "Atelier réparation gratuit dimanche matin : crevaisons, freins, dérailleurs. On apprend "
                "ensemble.",
                "Merci @ville_staubin pour les nouveaux arceaux devant la médiathèque. Il en faudrait dix "
                "fois plus 😉",
                "Compteur vélo de la rue de la Gare : record battu hier avec {n} passages. #vélo",
                "Petit rappel : un vélo bien éclairé est un vélo qu'on voit. Vérifiez vos lumières avant "
                "l'hiver ! #vélo",
            )
        },
    ),
    DemoAccount(
        "ana_reads",
        "Ana Souza",
        "Libraire 📚 bookseller. Je lis en français, I read in English, je rêve en portugais. #bookstodon",
        ("fr", "en"),
        0.4,
        website="https://example.org/librairie-du-pont",
        lines={
            "fr": (
                "Coup de cœur de la semaine : un roman court, drôle et triste à la fois. Parfait pour le "
                "train. #bookstodon",
                "Rencontre avec une autrice jeudi à la librairie, 18h30. Venez nombreuses et nombreux !",
                "Pile à lire : {n} livres. Achats ce mois-ci : 6. Je ne vois pas le problème.",
                "Nouvelle vitrine à la librairie : des romans où il pleut tout le temps. Thème choisi par la "
                "météo. #bookstodon",
            ),
            "en": (
                "The bookshop cat has claimed the poetry shelf. Poetry is now closed. #bookstodon",
                "Reading a translated novel and the translator's notes are better than the book. Translators "
                "deserve more credit.",
                "Recommend me a book set in a small town where nothing happens. I need calm. #bookstodon",
                "Someone just asked for 'the blue book from the radio'. We found it. Booksellers are "
                "detectives.",
            ),
        },
    ),
    DemoAccount(
        "chloe_b",
        "Chloé",
        "Compte perso, je valide les gens que je connais. Infirmière, randonneuse, fan de thé.",
        ("fr",),
        0.15,
        locked=True,
        lines={
            "fr": (
                "Garde de nuit terminée. Je dors, ne me réveillez pas avant jeudi.",
                "Randonnée dimanche sur les crêtes, {n} km et pas une seule ampoule. Victoire.",
                "Un patient m'a apporté des madeleines faites maison aujourd'hui. Ça fait chaud au cœur.",
                "Thé vert, plaid, série. Programme de la soirée validé.",
                "Premier jour de congé depuis trois semaines. Je ne fais rien, et j'assume.",
                "Quelqu'un connaît un bon cordonnier à Saint-Aubin ? Mes chaussures de rando ont rendu "
                "l'âme.",
            )
        },
    ),
    DemoAccount(
        "gerard_jardine",
        "Gérard",
        "Retraité, jardinier amateur, grand-père de trois. Mon petit-fils m'a installé ce compte. #jardinage",
        ("fr",),
        0.25,
        lines={
            "fr": (
                "Premières tomates du jardin ! Elles ne sont pas bien grosses mais elles sont à moi. "
                "#jardinage",
                "Mon petit-fils me dit qu'il faut mettre des hashtags. Alors voilà : #jardinage #potager",
                "Les limaces ont mangé toutes mes salades cette nuit. La guerre est déclarée.",
                "Bourse aux graines samedi au jardin partagé, apportez ce que vous avez en trop. #jardinage",
                "J'ai planté des capucines autour des tomates, il paraît que ça éloigne les pucerons. On "
                "verra bien. #jardinage",
                "Il est tombé {n} mm de pluie cette nuit, le jardin dit merci. #météo",
                "Bonjour à tous. Je ne sais pas encore très bien comment marche ce site mais c'est "
                "sympathique.",
            )
        },
    ),
)

# Short answers anyone may give in a conversation; the reply is prefixed with "@who-they-answer".
REPLIES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci pour l'info !",
        "Complètement d'accord.",
        "Ah, je ne savais pas, merci !",
        "Haha, tellement vrai 😄",
        "Tu as une source ? Ça m'intéresse.",
        "Bonne idée, je partage autour de moi.",
        "Trop bien, bravo !",
        "Pas sûr d'être d'accord, mais je comprends l'idée.",
        "On en reparle demain ?",
        "C'est noté 👍",
        "Oh non… courage !",
        "Ça me rappelle quelque chose 😅",
        "Super nouvelle !",
        "Je garde ça pour plus tard, merci.",
        "Tu me fais rire de bon matin 😂",
        "Ça fait plaisir à lire.",
        "Rien à ajouter, tout est dit.",
        "J'adore.",
        "Intéressant, raconte !",
        "Haha, j'avais besoin de ça aujourd'hui.",
    ),
    "en": (
        "Thanks for sharing!",
        "Totally agree.",
        "Oh, I didn't know that. Thanks!",
        "Ha, so true 😄",
        "Do you have a link? I'd love to read more.",
        "Great idea, sharing this around.",
        "Congrats, well deserved!",
        "Not sure I agree, but I see your point.",
        "Noted 👍",
        "Oh no… hang in there!",
        "This sounds very familiar 😅",
        "What great news!",
        "Saving this for later, thanks.",
        "You made my morning 😂",
        "This is lovely to read.",
        "Nothing to add, you said it all.",
        "Same here, honestly.",
        "Love this.",
        "Interesting, tell me more!",
        "Ha, I needed that today.",
    ),
}

# Answers that only fit some kinds of accounts (see DemoAccount.kind).
KIND_REPLIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("news", "fr"): (
        "J'y serai !",
        "Et du coup, c'est à quelle heure ?",
        "Il faudrait en parler au conseil de quartier.",
        "Merci, je n'avais pas vu passer.",
        "Enfin ! Ça fait des mois qu'on l'attendait.",
        "Je confirme, j'y étais.",
    ),
    ("news", "en"): (
        "Count me in!",
        "What time does it start?",
        "Finally! We've been waiting for this for months.",
        "Thanks for keeping us posted.",
        "Can confirm, I was there.",
        "Any idea how long it will last?",
    ),
    ("shop", "fr"): (
        "Vraie question : c'est ouvert le dimanche ?",
        "J'arrive ! Gardez-m'en un 🥐",
        "Le meilleur de Saint-Aubin, je dis ça je dis rien.",
        "Bravo à toute l'équipe !",
    ),
    ("photo", "fr"): ("Magnifique 😍", "Quelle lumière !", "Tu as utilisé quel objectif ?"),
    ("photo", "en"): ("Gorgeous 😍", "That light!", "Which lens did you use?"),
}

# What the author of a post says back to the people who answered.
ANSWERS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci 🙏",
        "Merci beaucoup !",
        "Avec plaisir !",
        "Haha, exactement 😄",
        "Je transmets !",
        "Oui, on en reparle !",
        "C'est gentil, merci.",
    ),
    "en": (
        "Thank you 🙏",
        "Thanks so much!",
        "My pleasure!",
        "Ha, exactly 😄",
        "Will pass it on!",
        "Yes, let's talk soon!",
        "That's kind, thanks.",
    ),
}

BOT_REPORTS = 14  # one weather report a day for two weeks
THREAD_CHANCE = 0.35  # how often a public post gets answered
CONVERSATION_PACE = 0.45  # how often the next post carries on a conversation rather than starting one


@dataclass(frozen=True)
class Line:
    """One post of a conversation; ``reply_to`` indexes the thread's posts (None: the root)."""

    username: str
    lang: str
    text: str
    reply_to: int | None = None


# Conversations written in full, started at intervals and carried on a post at a time.
CONVERSATIONS: tuple[tuple[Line, ...], ...] = (
    (
        Line(
            "dr_ines",
            "fr",
            "🧵 Pourquoi fait-il plus chaud en ville ? Petit fil sur les îlots de chaleur "
            "urbains. 1/3 #climat",
        ),
        Line(
            "dr_ines",
            "fr",
            "Le béton et l'asphalte stockent la chaleur le jour et la relâchent la nuit : "
            "la ville ne refroidit presque pas. 2/3",
            0,
        ),
        Line(
            "dr_ines",
            "fr",
            "Bonne nouvelle : arbres, sols perméables et façades claires font baisser la "
            "température de plusieurs degrés. 3/3 https://example.org/ines-benali/fil-chaleur",
            1,
        ),
        Line(
            "ville_staubin",
            "fr",
            "@dr_ines Merci pour ce fil très clair. Notre plan de plantation de 500 "
            "arbres démarre cet automne.",
            2,
        ),
        Line(
            "jules_velo",
            "fr",
            "@ville_staubin 500 arbres, super ! Et si on en plantait le long des pistes cyclables ? #vélo",
            3,
        ),
    ),
    (
        Line(
            "sarah_codes",
            "en",
            "Unpopular opinion: every #OpenSource project needs a CONTRIBUTING file "
            "written for someone who has never opened a pull request.",
        ),
        Line(
            "devnico",
            "en",
            "@sarah_codes Agreed. Ours now starts with 'you can't break anything, we "
            "review everything'. Contributions doubled.",
            0,
        ),
        Line("sarah_codes", "en", "@devnico That's such a good opening line. Stealing it, with credit.", 1),
        Line(
            "maya_lens",
            "en",
            "@sarah_codes Non-developer here: this is exactly why I never dared to contribute. Thank you.",
            0,
        ),
    ),
    (
        Line(
            "tom_etu",
            "fr",
            "Question sérieuse : pain au chocolat ou chocolatine ? J'ai besoin de savoir "
            "qui sont mes vrais amis.",
        ),
        Line(
            "boulangerie_martin",
            "fr",
            "@tom_etu Chez nous c'est pain au chocolat, mais on sert tout le monde avec le même sourire 😄",
            0,
        ),
        Line("camille_cm", "fr", "@boulangerie_martin @tom_etu Réponse parfaite de CM, je valide.", 1),
        Line("tom_etu", "fr", "@camille_cm Bon, je vais quand même en prendre deux pour vérifier.", 2),
    ),
    (
        Line(
            "oliver_bakes",
            "en",
            "Does anyone know if the Riverside farmers market is still on this "
            "Saturday with the bridge closed?",
        ),
        Line(
            "riverside_post",
            "en",
            "@oliver_bakes Yes, it's on! The stalls move to Mill Street for the duration of the works.",
            0,
        ),
        Line(
            "oliver_bakes", "en", "@riverside_post Brilliant, thank you. My sourdough and I will be there.", 1
        ),
    ),
    (
        Line(
            "gazette",
            "fr",
            "Le FC Saint-Aubin jouera son premier match de Régionale 1 à domicile le 14. "
            "Vous serez en tribune ? #FCSA",
        ),
        Line("karim_allezfc", "fr", "@gazette Évidemment ! Tribune nord, comme toujours 💚", 0),
        Line(
            "gerard_jardine",
            "fr",
            "@karim_allezfc J'y allais avec mon père dans les années 60. J'y "
            "emmènerai peut-être mon petit-fils.",
            1,
        ),
        Line("karim_allezfc", "fr", "@gerard_jardine Avec plaisir, on vous gardera une place, monsieur !", 2),
        Line(
            "gazette",
            "fr",
            "@gerard_jardine Ce souvenir nous intéresse pour notre numéro spécial. On peut vous contacter ?",
            2,
        ),
    ),
)


@dataclass(frozen=True)
class Special:
    """A post that shows a feature: a content warning, a direct message or a quote."""

    username: str
    lang: str
    text: str
    spoiler: str = ""
    visibility: str = "public"
    quote_of: str = ""  # username whose latest public post is quoted


SPECIALS: tuple[Special, ...] = (
    Special(
        "karim_allezfc",
        "fr",
        "On a gagné aux tirs au but après un nul 2-2. Je n'ai plus de voix. #FCSA",
        spoiler="Résultat du match (spoiler)",
    ),
    Special(
        "camille_cm",
        "fr",
        "@devnico tu aurais 10 minutes demain pour relire mon billet sur la modération ? Pas d'urgence 🙂",
        visibility="direct",
    ),
    Special(
        "ana_reads",
        "en",
        "I can't believe the sister was the narrator all along. I had to put the book "
        "down and walk around the shop.",
        spoiler="Book spoilers: The Lighthouse Keeper",
    ),
    Special(
        "gazette",
        "fr",
        "La Ville annonce du nouveau. Vous en pensez quoi ? Vos réponses publiées "
        "vendredi dans nos pages. #SaintAubin",
        quote_of="ville_staubin",
    ),
    Special(
        "maya_lens",
        "en",
        "@lea_photo Hi Léa! I'll be in Saint-Aubin next month, would you like to do a photo walk together?",
        visibility="direct",
    ),
    Special(
        "camille_cm",
        "fr",
        "Petite pause des réseaux pour quelques jours. Modérer, c'est aussi savoir se protéger. À bientôt 💛",
        spoiler="Santé mentale, fatigue",
    ),
)

SKIES = (
    "grand soleil",
    "ciel voilé",
    "nuageux avec quelques éclaircies",
    "pluie faible toute la journée",
    "averses orageuses l'après-midi",
    "brouillard le matin puis soleil",
    "vent fort et nuages",
)


def weather_report(rng: random.Random) -> str:
    """The bot's morning post."""
    sky = rng.choice(SKIES)
    low = rng.randint(4, 16)
    high = low + rng.randint(5, 13)
    advice = ""
    if "pluie" in sky or "averses" in sky:
        advice = " Parapluie conseillé ☔"
    elif high >= 26:
        advice = " Pensez à boire de l'eau ☀️"
    return (
        f"Météo à Saint-Aubin aujourd'hui : {sky}. Min {low} °C, max {high} °C, vent {rng.randint(5, 45)} "
        f"km/h.{advice} #météo"
    )
