package locale

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message/catalog"
)

// The catalogs. A message's id is its English text, a fmt format; each row
// gives it in en (the id), fr, de, es, it and nl. Client-facing text
// anywhere (templates, portal.js through its strings, emails) must have a
// row here: TestCatalogComplete and the portal's template test check it.

var messages = table([][6]string{
	// The page's frame.
	{"Your design studio", "Votre studio de design", "Ihr Designstudio", "Su estudio de diseño", "Il vostro studio di design", "Uw ontwerpstudio"},
	{"the studio", "le studio", "dem Studio", "el estudio", "lo studio", "de studio"},
	{"Client portal", "Espace client", "Kundenportal", "Portal del cliente", "Area clienti", "Klantportaal"},
	{"Skip to content", "Aller au contenu", "Zum Inhalt springen", "Ir al contenido", "Vai al contenuto", "Naar de inhoud"},
	// The client page.
	{"Prepared for", "Préparé pour", "Erstellt für", "Preparado para", "Preparato per", "Gemaakt voor"},
	{"overall progress", "avancement global", "Fortschritt", "progreso total", "avanzamento totale", "totale voortgang"},
	{"Target completion", "Livraison prévue", "Geplante Fertigstellung", "Finalización prevista", "Completamento previsto", "Geplande oplevering"},
	{"Last update", "Dernière mise à jour", "Letzte Aktualisierung", "Última actualización", "Ultimo aggiornamento", "Laatste update"},
	{"Rooms", "Pièces", "Räume", "Estancias", "Ambienti", "Ruimtes"},
	{"Renderings", "Rendus", "Visualisierungen", "Renders", "Render", "Renders"},
	{"Newest first", "Plus récents d’abord", "Neueste zuerst", "Más recientes primero", "Più recenti prima", "Nieuwste eerst"},
	{"By room", "Par pièce", "Nach Raum", "Por estancia", "Per ambiente", "Per ruimte"},
	{"Show renderings", "Afficher les rendus", "Visualisierungen zeigen", "Mostrar renders", "Mostra i render", "Renders tonen"},
	{"Download all originals", "Télécharger tous les originaux", "Alle Originale herunterladen", "Descargar todos los originales", "Scarica tutti gli originali", "Alle originelen downloaden"},
	{"New", "Nouveau", "Neu", "Nuevo", "Nuovo", "Nieuw"},
	{"Download", "Télécharger", "Herunterladen", "Descargar", "Scarica", "Downloaden"},
	{"Renderings will appear here as soon as the studio shares them with you.", "Les rendus apparaîtront ici dès que le studio les partagera avec vous.", "Visualisierungen erscheinen hier, sobald das Studio sie mit Ihnen teilt.", "Los renders aparecerán aquí en cuanto el estudio los comparta con usted.", "I render appariranno qui non appena lo studio li condividerà con voi.", "Renders verschijnen hier zodra de studio ze met u deelt."},
	{"Room by room", "Pièce par pièce", "Raum für Raum", "Estancia por estancia", "Ambiente per ambiente", "Ruimte voor ruimte"},
	{"Each room moves through five steps, from the first concept to furnishing.", "Chaque pièce passe par cinq étapes, du premier concept à l’ameublement.", "Jeder Raum durchläuft fünf Schritte, vom ersten Konzept bis zur Einrichtung.", "Cada estancia pasa por cinco etapas, del primer concepto al mobiliario.", "Ogni ambiente attraversa cinque fasi, dal primo concept all’arredo.", "Elke ruimte doorloopt vijf stappen, van het eerste concept tot de inrichting."},
	{"%s complete", "%s terminé", "%s fertig", "%s completado", "%s completato", "%s klaar"},
	{"%s: %s complete", "%s : %s terminé", "%s: %s fertig", "%s: %s completado", "%s: %s completato", "%s: %s klaar"},
	{"(completed)", "(terminé)", "(abgeschlossen)", "(completado)", "(completato)", "(afgerond)"},
	{"The studio is still setting up the rooms of your project.", "Le studio prépare encore les pièces de votre projet.", "Das Studio richtet die Räume Ihres Projekts noch ein.", "El estudio aún está preparando las estancias de su proyecto.", "Lo studio sta ancora preparando gli ambienti del vostro progetto.", "De studio zet de ruimtes van uw project nog klaar."},
	{"Questions about your project?", "Des questions sur votre projet ?", "Fragen zu Ihrem Projekt?", "¿Preguntas sobre su proyecto?", "Domande sul vostro progetto?", "Vragen over uw project?"},
	{"Get in touch with", "Contactez", "Kontakt:", "Póngase en contacto con", "Contattate", "Neem contact op met"},
	{"This private link works until", "Ce lien privé fonctionne jusqu’au", "Dieser private Link gilt bis", "Este enlace privado funciona hasta el", "Questo link privato funziona fino al", "Deze privélink werkt tot"},
	{"This private link does not expire.", "Ce lien privé n’expire pas.", "Dieser private Link läuft nicht ab.", "Este enlace privado no caduca.", "Questo link privato non scade.", "Deze privélink verloopt niet."},
	{"It is meant for you alone: anyone with the link can see this page.", "Il est réservé à vous seul : toute personne qui a le lien peut voir cette page.", "Er ist nur für Sie bestimmt: Wer den Link hat, kann diese Seite sehen.", "Es solo para usted: cualquiera con el enlace puede ver esta página.", "È riservato a voi: chiunque abbia il link può vedere questa pagina.", "Hij is alleen voor u bedoeld: iedereen met de link kan deze pagina zien."},
	// Phases, statuses, decisions.
	{"Design Concept", "Concept", "Designkonzept", "Concepto de diseño", "Concept di design", "Ontwerpconcept"},
	{"3D Rendering", "Rendu 3D", "3D-Visualisierung", "Render 3D", "Render 3D", "3D-render"},
	{"Client Approval", "Validation client", "Kundenfreigabe", "Aprobación del cliente", "Approvazione del cliente", "Goedkeuring klant"},
	{"Drawings", "Plans", "Pläne", "Planos", "Disegni", "Tekeningen"},
	{"FF&E", "Mobilier et équipement", "Möblierung", "Mobiliario", "Arredi", "Inrichting"},
	{"Completed", "Terminé", "Abgeschlossen", "Completado", "Completato", "Afgerond"},
	{"In progress", "En cours", "In Arbeit", "En curso", "In corso", "Bezig"},
	{"Not started", "Pas commencé", "Nicht begonnen", "Sin empezar", "Non iniziato", "Niet begonnen"},
	{"Skipped", "Sans objet", "Übersprungen", "Omitido", "Saltato", "Overgeslagen"},
	{"Approved", "Approuvé", "Freigegeben", "Aprobado", "Approvato", "Goedgekeurd"},
	{"Changes requested", "Modifications demandées", "Änderungen gewünscht", "Cambios solicitados", "Modifiche richieste", "Wijzigingen gevraagd"},
	// Feedback.
	{"Messages", "Messages", "Nachrichten", "Mensajes", "Messaggi", "Berichten"},
	{"Your notes to the studio, and its answers.", "Vos messages au studio, et ses réponses.", "Ihre Nachrichten an das Studio und seine Antworten.", "Sus notas al estudio y sus respuestas.", "Le vostre note allo studio e le sue risposte.", "Uw berichten aan de studio en de antwoorden."},
	{"Thank you. Your message is with the studio.", "Merci. Votre message est bien arrivé au studio.", "Danke. Ihre Nachricht ist beim Studio angekommen.", "Gracias. Su mensaje ha llegado al estudio.", "Grazie. Il vostro messaggio è arrivato allo studio.", "Dank u. Uw bericht is bij de studio."},
	{"Client", "Client", "Kunde", "Cliente", "Cliente", "Klant"},
	{"Approved %s", "A approuvé %s", "Hat %s freigegeben", "Aprobó %s", "Ha approvato %s", "Keurde %s goed"},
	{"Asked for changes on %s", "A demandé des modifications sur %s", "Hat Änderungen an %s gewünscht", "Pidió cambios en %s", "Ha chiesto modifiche a %s", "Vroeg wijzigingen aan %s"},
	{"About %s", "À propos de %s", "Zu %s", "Sobre %s", "Riguardo a %s", "Over %s"},
	{"a rendering", "un rendu", "einer Visualisierung", "un render", "un render", "een render"},
	{"About", "À propos de", "Worum geht es", "Sobre", "Riguardo a", "Over"},
	{"The project in general", "Le projet en général", "Das Projekt allgemein", "El proyecto en general", "Il progetto in generale", "Het project in het algemeen"},
	{"Your decision on that rendering", "Votre décision sur ce rendu", "Ihre Entscheidung zu dieser Visualisierung", "Su decisión sobre ese render", "La vostra decisione su quel render", "Uw beslissing over die render"},
	{"None, just a message", "Aucune, juste un message", "Keine, nur eine Nachricht", "Ninguna, solo un mensaje", "Nessuna, solo un messaggio", "Geen, alleen een bericht"},
	{"Approve", "Approuver", "Freigeben", "Aprobar", "Approva", "Goedkeuren"},
	{"Request changes", "Demander des modifications", "Änderungen anfragen", "Pedir cambios", "Chiedi modifiche", "Wijzigingen vragen"},
	{"Message", "Message", "Nachricht", "Mensaje", "Messaggio", "Bericht"},
	{"Your name (optional)", "Votre nom (facultatif)", "Ihr Name (optional)", "Su nombre (opcional)", "Il vostro nome (facoltativo)", "Uw naam (optioneel)"},
	{"Send", "Envoyer", "Senden", "Enviar", "Invia", "Versturen"},
	{"Approve a rendering or ask for changes", "Approuver un rendu ou demander des modifications", "Eine Visualisierung freigeben oder Änderungen anfragen", "Aprobar un render o pedir cambios", "Approvare un render o chiedere modifiche", "Een render goedkeuren of wijzigingen vragen"},
	{"%s and %s", "%s et %s", "%s und %s", "%s y %s", "%s e %s", "%s en %s"},
	{"%s since %s", "%s depuis le %s", "%s seit %s", "%s desde el %s", "%s dal %s", "%s sinds %s"},
	// The page's script (portal.js, feedback.js).
	{"Download original", "Télécharger l’original", "Original herunterladen", "Descargar el original", "Scarica l’originale", "Origineel downloaden"},
	{"Previous rendering", "Rendu précédent", "Vorherige Visualisierung", "Render anterior", "Render precedente", "Vorige render"},
	{"Next rendering", "Rendu suivant", "Nächste Visualisierung", "Render siguiente", "Render successivo", "Volgende render"},
	{"Close", "Fermer", "Schließen", "Cerrar", "Chiudi", "Sluiten"},
	{"%s of %s", "%s sur %s", "%s von %s", "%s de %s", "%s di %s", "%s van %s"},
	{"New rendering: %s", "Nouveau rendu : %s", "Neue Visualisierung: %s", "Nuevo render: %s", "Nuovo render: %s", "Nieuwe render: %s"},
	{"Progress updated: %s overall", "Avancement mis à jour : %s au total", "Fortschritt aktualisiert: %s insgesamt", "Progreso actualizado: %s en total", "Avanzamento aggiornato: %s in totale", "Voortgang bijgewerkt: %s in totaal"},
	{"This page was just updated", "Cette page vient d’être mise à jour", "Diese Seite wurde gerade aktualisiert", "Esta página se acaba de actualizar", "Questa pagina è appena stata aggiornata", "Deze pagina is zojuist bijgewerkt"},
	{"This link has expired.", "Ce lien a expiré.", "Dieser Link ist abgelaufen.", "Este enlace ha caducado.", "Questo link è scaduto.", "Deze link is verlopen."},
	{"This link is no longer active.", "Ce lien n’est plus actif.", "Dieser Link ist nicht mehr aktiv.", "Este enlace ya no está activo.", "Questo link non è più attivo.", "Deze link is niet meer actief."},
	{"What you see is how the project stood when the link stopped working. To keep following it, ask the studio for a new link.", "Vous voyez le projet tel qu’il était quand le lien a cessé de fonctionner. Pour continuer à le suivre, demandez un nouveau lien au studio.", "Sie sehen das Projekt so, wie es stand, als der Link aufhörte zu funktionieren. Um es weiter zu verfolgen, bitten Sie das Studio um einen neuen Link.", "Lo que ve es el estado del proyecto cuando el enlace dejó de funcionar. Para seguirlo, pida al estudio un enlace nuevo.", "Vedete il progetto com’era quando il link ha smesso di funzionare. Per continuare a seguirlo, chiedete allo studio un nuovo link.", "U ziet het project zoals het was toen de link stopte met werken. Vraag de studio om een nieuwe link om het te blijven volgen."},
	{"Sent to the studio. Thank you.", "Envoyé au studio. Merci.", "An das Studio gesendet. Danke.", "Enviado al estudio. Gracias.", "Inviato allo studio. Grazie.", "Naar de studio verstuurd. Dank u."},
	{"Not sent. Please try again.", "Non envoyé. Veuillez réessayer.", "Nicht gesendet. Bitte versuchen Sie es erneut.", "No enviado. Inténtelo de nuevo.", "Non inviato. Riprovate.", "Niet verstuurd. Probeer het opnieuw."},
	{"Comment (optional)", "Commentaire (facultatif)", "Kommentar (optional)", "Comentario (opcional)", "Commento (facoltativo)", "Opmerking (optioneel)"},
	{"Cancel", "Annuler", "Abbrechen", "Cancelar", "Annulla", "Annuleren"},
	{"Send approval", "Envoyer l’approbation", "Freigabe senden", "Enviar aprobación", "Invia approvazione", "Goedkeuring versturen"},
	{"Send request", "Envoyer la demande", "Anfrage senden", "Enviar solicitud", "Invia richiesta", "Verzoek versturen"},
	{"New message from %s", "Nouveau message de %s", "Neue Nachricht von %s", "Nuevo mensaje de %s", "Nuovo messaggio da %s", "Nieuw bericht van %s"},
	// The no-JS feedback form's errors (the domain's messages).
	{"Write a message, or approve or ask for changes on a rendering.", "Écrivez un message, ou approuvez un rendu ou demandez des modifications.", "Schreiben Sie eine Nachricht, oder geben Sie eine Visualisierung frei oder fragen Sie Änderungen an.", "Escriba un mensaje, o apruebe un render o pida cambios.", "Scrivete un messaggio, oppure approvate un render o chiedete modifiche.", "Schrijf een bericht, of keur een render goed of vraag om wijzigingen."},
	{"name must be one line.", "Le nom doit tenir sur une ligne.", "Der Name muss in eine Zeile passen.", "El nombre debe ocupar una sola línea.", "Il nome deve stare su una riga.", "De naam moet op één regel passen."},
	{"The form could not be read. Please try again.", "Le formulaire n’a pas pu être lu. Veuillez réessayer.", "Das Formular konnte nicht gelesen werden. Bitte versuchen Sie es erneut.", "No se pudo leer el formulario. Inténtelo de nuevo.", "Non è stato possibile leggere il modulo. Riprovate.", "Het formulier kon niet worden gelezen. Probeer het opnieuw."},
	// Error, expired and PIN pages.
	{"Error %d", "Erreur %d", "Fehler %d", "Error %d", "Errore %d", "Fout %d"},
	{"Link not found", "Lien introuvable", "Link nicht gefunden", "Enlace no encontrado", "Link non trovato", "Link niet gevonden"},
	{"This link doesn’t lead anywhere", "Ce lien ne mène nulle part", "Dieser Link führt nirgendwohin", "Este enlace no lleva a ninguna parte", "Questo link non porta da nessuna parte", "Deze link leidt nergens heen"},
	{"The address may be incomplete: check that the whole link was copied from your email or message.", "L’adresse est peut-être incomplète : vérifiez que le lien entier a été copié depuis votre e-mail ou message.", "Die Adresse ist vielleicht unvollständig: Prüfen Sie, ob der ganze Link aus Ihrer E-Mail oder Nachricht kopiert wurde.", "Puede que la dirección esté incompleta: compruebe que copió el enlace entero de su correo o mensaje.", "L’indirizzo potrebbe essere incompleto: verificate di aver copiato l’intero link dalla vostra e-mail o messaggio.", "Het adres is misschien onvolledig: controleer of de hele link uit uw e-mail of bericht is gekopieerd."},
	{"Link expired", "Lien expiré", "Link abgelaufen", "Enlace caducado", "Link scaduto", "Link verlopen"},
	{"This link has expired", "Ce lien a expiré", "Dieser Link ist abgelaufen", "Este enlace ha caducado", "Questo link è scaduto", "Deze link is verlopen"},
	{"To keep your project private, client links stop working after a while. The studio will gladly send you a new one.", "Pour garder votre projet privé, les liens client cessent de fonctionner après un certain temps. Le studio vous en enverra volontiers un nouveau.", "Damit Ihr Projekt privat bleibt, funktionieren Kundenlinks nur eine Zeit lang. Das Studio schickt Ihnen gern einen neuen.", "Para mantener su proyecto privado, los enlaces dejan de funcionar tras un tiempo. El estudio le enviará uno nuevo con gusto.", "Per mantenere privato il vostro progetto, i link smettono di funzionare dopo un po’. Lo studio ve ne invierà volentieri uno nuovo.", "Om uw project privé te houden, werken klantlinks maar een tijd. De studio stuurt u graag een nieuwe."},
	{"To keep your project private, client links stop working after a while.", "Pour garder votre projet privé, les liens client cessent de fonctionner après un certain temps.", "Damit Ihr Projekt privat bleibt, funktionieren Kundenlinks nur eine Zeit lang.", "Para mantener su proyecto privado, los enlaces dejan de funcionar tras un tiempo.", "Per mantenere privato il vostro progetto, i link smettono di funzionare dopo un po’.", "Om uw project privé te houden, werken klantlinks maar een tijd."},
	{"Link no longer active", "Lien désactivé", "Link nicht mehr aktiv", "Enlace inactivo", "Link non più attivo", "Link niet meer actief"},
	{"This link is no longer active", "Ce lien n’est plus actif", "Dieser Link ist nicht mehr aktiv", "Este enlace ya no está activo", "Questo link non è più attivo", "Deze link is niet meer actief"},
	{"The studio has switched this link off. If you still need to follow your project, ask them for a new one.", "Le studio a désactivé ce lien. Si vous souhaitez continuer à suivre votre projet, demandez-lui un nouveau lien.", "Das Studio hat diesen Link abgeschaltet. Wenn Sie Ihr Projekt weiter verfolgen möchten, bitten Sie um einen neuen.", "El estudio ha desactivado este enlace. Si aún quiere seguir su proyecto, pídale uno nuevo.", "Lo studio ha disattivato questo link. Se volete ancora seguire il progetto, chiedetene uno nuovo.", "De studio heeft deze link uitgeschakeld. Wilt u uw project blijven volgen, vraag dan om een nieuwe."},
	{"The studio has switched this link off.", "Le studio a désactivé ce lien.", "Das Studio hat diesen Link abgeschaltet.", "El estudio ha desactivado este enlace.", "Lo studio ha disattivato questo link.", "De studio heeft deze link uitgeschakeld."},
	{"Too many attempts", "Trop de tentatives", "Zu viele Versuche", "Demasiados intentos", "Troppi tentativi", "Te veel pogingen"},
	{"Please wait a moment", "Merci de patienter un instant", "Bitte warten Sie einen Moment", "Espere un momento", "Attendete un momento", "Even geduld"},
	{"There were too many attempts with links that do not work from your connection.", "Votre connexion a fait trop de tentatives avec des liens qui ne fonctionnent pas.", "Von Ihrer Verbindung kamen zu viele Versuche mit Links, die nicht funktionieren.", "Hubo demasiados intentos con enlaces que no funcionan desde su conexión.", "Dalla vostra connessione sono arrivati troppi tentativi con link non validi.", "Vanaf uw verbinding kwamen te veel pogingen met links die niet werken."},
	{"Messages are off", "Messages désactivés", "Nachrichten aus", "Mensajes desactivados", "Messaggi disattivati", "Berichten uit"},
	{"Messages are turned off for this link", "Les messages sont désactivés pour ce lien", "Nachrichten sind für diesen Link abgeschaltet", "Los mensajes están desactivados para este enlace", "I messaggi sono disattivati per questo link", "Berichten staan uit voor deze link"},
	{"The studio has not opened this page to messages. Please write to them directly.", "Le studio n’a pas ouvert cette page aux messages. Écrivez-lui directement.", "Das Studio hat diese Seite nicht für Nachrichten geöffnet. Bitte schreiben Sie direkt.", "El estudio no ha abierto esta página a mensajes. Escríbale directamente.", "Lo studio non ha aperto questa pagina ai messaggi. Scrivetegli direttamente.", "De studio heeft deze pagina niet voor berichten opengesteld. Schrijf de studio rechtstreeks."},
	{"Request refused", "Demande refusée", "Anfrage abgelehnt", "Solicitud rechazada", "Richiesta rifiutata", "Verzoek geweigerd"},
	{"This request was refused", "Cette demande a été refusée", "Diese Anfrage wurde abgelehnt", "Esta solicitud fue rechazada", "Questa richiesta è stata rifiutata", "Dit verzoek is geweigerd"},
	{"It came from another site. Open the link itself and try again from the page.", "Elle venait d’un autre site. Ouvrez le lien lui-même et réessayez depuis la page.", "Sie kam von einer anderen Website. Öffnen Sie den Link selbst und versuchen Sie es von der Seite aus.", "Venía de otro sitio. Abra el propio enlace e inténtelo desde la página.", "Proveniva da un altro sito. Aprite il link stesso e riprovate dalla pagina.", "Het kwam van een andere site. Open de link zelf en probeer het opnieuw vanaf de pagina."},
	{"Enter your PIN", "Saisissez votre code", "PIN eingeben", "Introduzca su PIN", "Inserite il PIN", "Voer uw pincode in"},
	{"This page is protected with a PIN", "Cette page est protégée par un code", "Diese Seite ist mit einer PIN geschützt", "Esta página está protegida con un PIN", "Questa pagina è protetta da un PIN", "Deze pagina is beveiligd met een pincode"},
	{"Enter the PIN the studio gave you with this link. You will only need it once on this device.", "Saisissez le code que le studio vous a donné avec ce lien. Il ne vous sera demandé qu’une fois sur cet appareil.", "Geben Sie die PIN ein, die Sie vom Studio mit diesem Link erhalten haben. Auf diesem Gerät brauchen Sie sie nur einmal.", "Introduzca el PIN que el estudio le dio con este enlace. Solo lo necesitará una vez en este dispositivo.", "Inserite il PIN ricevuto dallo studio con questo link. Servirà una sola volta su questo dispositivo.", "Voer de pincode in die u met deze link van de studio kreeg. U hebt die op dit apparaat maar één keer nodig."},
	{"Not possible here", "Impossible ici", "Hier nicht möglich", "No es posible aquí", "Non possibile qui", "Hier niet mogelijk"},
	{"This page can only be read", "Cette page peut seulement être consultée", "Diese Seite kann nur gelesen werden", "Esta página solo se puede leer", "Questa pagina si può solo leggere", "Deze pagina kan alleen gelezen worden"},
	{"Open the link itself to see your project.", "Ouvrez le lien lui-même pour voir votre projet.", "Öffnen Sie den Link selbst, um Ihr Projekt zu sehen.", "Abra el propio enlace para ver su proyecto.", "Aprite il link stesso per vedere il vostro progetto.", "Open de link zelf om uw project te zien."},
	{"Something went wrong", "Un problème est survenu", "Etwas ist schiefgelaufen", "Algo salió mal", "Qualcosa è andato storto", "Er ging iets mis"},
	{"Something went wrong on our side", "Un problème est survenu de notre côté", "Bei uns ist etwas schiefgelaufen", "Algo salió mal por nuestra parte", "Qualcosa è andato storto da parte nostra", "Er ging bij ons iets mis"},
	{"The page could not be shown just now. Please try again in a moment.", "La page n’a pas pu s’afficher. Réessayez dans un instant.", "Die Seite konnte gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.", "No se pudo mostrar la página. Inténtelo de nuevo en un momento.", "Non è stato possibile mostrare la pagina. Riprovate tra un momento.", "De pagina kon nu niet worden getoond. Probeer het zo opnieuw."},
	{"PIN", "Code", "PIN", "PIN", "PIN", "Pincode"},
	{"Open the page", "Ouvrir la page", "Seite öffnen", "Abrir la página", "Apri la pagina", "Pagina openen"},
	{"Thank you: the studio has been asked for a new link and will send you one.", "Merci : le studio a reçu votre demande de nouveau lien et vous en enverra un.", "Danke: Das Studio wurde um einen neuen Link gebeten und schickt Ihnen einen.", "Gracias: se ha pedido un enlace nuevo al estudio y se lo enviará.", "Grazie: lo studio ha ricevuto la richiesta di un nuovo link e ve lo invierà.", "Dank u: de studio is om een nieuwe link gevraagd en stuurt u er een."},
	{"Ask the studio for a new link", "Demander un nouveau lien au studio", "Das Studio um einen neuen Link bitten", "Pedir un enlace nuevo al estudio", "Chiedere allo studio un nuovo link", "De studio om een nieuwe link vragen"},
	{"Contact", "Contacter", "Kontakt:", "Contactar con", "Contattare", "Contact met"},
	{"This link is locked after too many wrong PINs. Please ask the studio for help.", "Ce lien est bloqué après trop de codes erronés. Demandez de l’aide au studio.", "Dieser Link ist nach zu vielen falschen PINs gesperrt. Bitte wenden Sie sich an das Studio.", "Este enlace está bloqueado tras demasiados PIN erróneos. Pida ayuda al estudio.", "Questo link è bloccato dopo troppi PIN errati. Chiedete aiuto allo studio.", "Deze link is geblokkeerd na te veel foute pincodes. Vraag de studio om hulp."},
	{"Enter the PIN: 4 to 8 digits.", "Saisissez le code : 4 à 8 chiffres.", "Geben Sie die PIN ein: 4 bis 8 Ziffern.", "Introduzca el PIN: de 4 a 8 cifras.", "Inserite il PIN: da 4 a 8 cifre.", "Voer de pincode in: 4 tot 8 cijfers."},
	{"That PIN is not right. Please try again.", "Ce code n’est pas le bon. Veuillez réessayer.", "Diese PIN ist falsch. Bitte versuchen Sie es erneut.", "Ese PIN no es correcto. Inténtelo de nuevo.", "Quel PIN non è corretto. Riprovate.", "Die pincode klopt niet. Probeer het opnieuw."},
	{"That PIN is not right. Too many wrong PINs: try again in 15 minutes, or ask the studio.", "Ce code n’est pas le bon. Trop de codes erronés : réessayez dans 15 minutes ou demandez au studio.", "Diese PIN ist falsch. Zu viele falsche PINs: Versuchen Sie es in 15 Minuten erneut oder fragen Sie das Studio.", "Ese PIN no es correcto. Demasiados PIN erróneos: inténtelo en 15 minutos o pregunte al estudio.", "Quel PIN non è corretto. Troppi PIN errati: riprovate tra 15 minuti o chiedete allo studio.", "Die pincode klopt niet. Te veel foute pincodes: probeer het over 15 minuten opnieuw of vraag het de studio."},
	{"Several requests came from your connection in the last hour. Please try again later, or contact the studio directly.", "Plusieurs demandes sont venues de votre connexion dans l’heure. Réessayez plus tard ou contactez directement le studio.", "Aus Ihrer Verbindung kamen in der letzten Stunde mehrere Anfragen. Bitte versuchen Sie es später oder wenden Sie sich direkt an das Studio.", "Llegaron varias solicitudes desde su conexión en la última hora. Inténtelo más tarde o contacte directamente con el estudio.", "Nell’ultima ora sono arrivate diverse richieste dalla vostra connessione. Riprovate più tardi o contattate direttamente lo studio.", "Vanaf uw verbinding kwamen het afgelopen uur meerdere verzoeken. Probeer het later opnieuw of neem rechtstreeks contact op met de studio."},
	{"The studio was already asked for a new link in the last hour. They will be in touch.", "Le studio a déjà reçu une demande de nouveau lien dans l’heure. Il vous recontactera.", "Das Studio wurde in der letzten Stunde bereits um einen neuen Link gebeten. Es meldet sich bei Ihnen.", "Ya se pidió un enlace nuevo al estudio en la última hora. Se pondrá en contacto con usted.", "Lo studio ha già ricevuto la richiesta di un nuovo link nell’ultima ora. Vi contatterà.", "De studio is het afgelopen uur al om een nieuwe link gevraagd. Ze nemen contact met u op."},
	// Unsubscribing.
	{"Update emails", "E-mails de suivi", "Update-E-Mails", "Correos de novedades", "E-mail di aggiornamento", "Update-e-mails"},
	{"You will get no more update emails", "Vous ne recevrez plus d’e-mails de suivi", "Sie erhalten keine Update-E-Mails mehr", "No recibirá más correos de novedades", "Non riceverete più e-mail di aggiornamento", "U krijgt geen update-e-mails meer"},
	{"We won’t email you when new renderings are shared. Your project link keeps working as before.", "Nous ne vous écrirons plus quand de nouveaux rendus seront partagés. Le lien de votre projet fonctionne comme avant.", "Wir schreiben Ihnen nicht mehr, wenn neue Visualisierungen geteilt werden. Ihr Projektlink funktioniert weiter wie bisher.", "No le escribiremos cuando se compartan renders nuevos. El enlace de su proyecto sigue funcionando como antes.", "Non vi scriveremo più quando saranno condivisi nuovi render. Il link del progetto funziona come prima.", "We mailen u niet meer als er nieuwe renders worden gedeeld. Uw projectlink blijft gewoon werken."},
	{"Stop update emails?", "Arrêter les e-mails de suivi ?", "Update-E-Mails abbestellen?", "¿Dejar de recibir correos de novedades?", "Interrompere le e-mail di aggiornamento?", "Update-e-mails stoppen?"},
	{"You get an email when %s shares new renderings, at most once a day.", "Vous recevez un e-mail quand %s partage de nouveaux rendus, au plus une fois par jour.", "Sie erhalten eine E-Mail, wenn %s neue Visualisierungen teilt, höchstens einmal am Tag.", "Recibe un correo cuando %s comparte renders nuevos, como mucho una vez al día.", "Ricevete un’e-mail quando %s condivide nuovi render, al massimo una volta al giorno.", "U krijgt een e-mail als %s nieuwe renders deelt, hooguit één keer per dag."},
	{"Stop these emails", "Arrêter ces e-mails", "Diese E-Mails abbestellen", "Dejar de recibir estos correos", "Interrompi queste e-mail", "Deze e-mails stoppen"},
	// Emails to clients.
	{"%s: follow %s online", "%s : suivez %s en ligne", "%s: %s online verfolgen", "%s: siga %s en línea", "%s: seguite %s online", "%s: volg %s online"},
	{"%s has set up a page where you can follow the progress of %s, room by room, and see the latest renderings.", "%s a préparé une page où suivre l’avancement de %s, pièce par pièce, et voir les derniers rendus.", "%s hat eine Seite eingerichtet, auf der Sie den Fortschritt von %s Raum für Raum verfolgen und die neuesten Visualisierungen sehen können.", "%s ha preparado una página donde puede seguir el progreso de %s, estancia por estancia, y ver los últimos renders.", "%s ha preparato una pagina dove seguire l’avanzamento di %s, ambiente per ambiente, e vedere gli ultimi render.", "%s heeft een pagina gemaakt waar u de voortgang van %s per ruimte kunt volgen en de nieuwste renders kunt zien."},
	{"Open your project page", "Ouvrir la page de votre projet", "Ihre Projektseite öffnen", "Abrir la página de su proyecto", "Aprite la pagina del progetto", "Uw projectpagina openen"},
	{"New renderings to see: %s", "Nouveaux rendus à voir : %s", "Neue Visualisierungen: %s", "Nuevos renders para ver: %s", "Nuovi render da vedere: %s", "Nieuwe renders om te bekijken: %s"},
	{"New renderings to see", "Nouveaux rendus à voir", "Neue Visualisierungen", "Nuevos renders para ver", "Nuovi render da vedere", "Nieuwe renders om te bekijken"},
	{"See them", "Les voir", "Ansehen", "Verlos", "Guardali", "Bekijken"},
	{"Or copy this address into your browser:", "Ou copiez cette adresse dans votre navigateur :", "Oder kopieren Sie diese Adresse in Ihren Browser:", "O copie esta dirección en su navegador:", "Oppure copiate questo indirizzo nel browser:", "Of kopieer dit adres in uw browser:"},
	{"The link works until %s.", "Le lien fonctionne jusqu’au %s.", "Der Link gilt bis %s.", "El enlace funciona hasta el %s.", "Il link funziona fino al %s.", "De link werkt tot %s."},
	{"This link is personal: anyone who has it can see the project, so please keep it to yourself.", "Ce lien est personnel : toute personne qui l’a peut voir le projet, merci de le garder pour vous.", "Dieser Link ist persönlich: Wer ihn hat, kann das Projekt sehen. Bitte behalten Sie ihn für sich.", "Este enlace es personal: cualquiera que lo tenga puede ver el proyecto, así que guárdelo para usted.", "Questo link è personale: chiunque lo abbia può vedere il progetto, quindi tenetelo per voi.", "Deze link is persoonlijk: iedereen die hem heeft kan het project zien, houd hem dus voor uzelf."},
	{"Stop these updates", "Arrêter ces nouvelles", "Diese Updates abbestellen", "Dejar de recibir estas novedades", "Interrompi questi aggiornamenti", "Deze updates stoppen"},
})

// plurals are messages with a number: the first argument chooses the
// form by the locale's CLDR plural rule (French "one" takes 0 and 1).
var plurals = map[string]map[string][2]string{
	"%d new renderings": {
		"en": {"%d new rendering", "%d new renderings"}, "fr": {"%d nouveau rendu", "%d nouveaux rendus"},
		"de": {"%d neue Visualisierung", "%d neue Visualisierungen"}, "es": {"%d render nuevo", "%d renders nuevos"},
		"it": {"%d nuovo render", "%d nuovi render"}, "nl": {"%d nieuwe render", "%d nieuwe renders"}},
	"%d completed phases": {
		"en": {"%d completed phase", "%d completed phases"}, "fr": {"%d étape terminée", "%d étapes terminées"},
		"de": {"%d abgeschlossener Schritt", "%d abgeschlossene Schritte"}, "es": {"%d etapa completada", "%d etapas completadas"},
		"it": {"%d fase completata", "%d fasi completate"}, "nl": {"%d afgeronde stap", "%d afgeronde stappen"}},
	"Try again in %d seconds.": {
		"en": {"Try again in %d second.", "Try again in %d seconds."}, "fr": {"Réessayez dans %d seconde.", "Réessayez dans %d secondes."},
		"de": {"Versuchen Sie es in %d Sekunde erneut.", "Versuchen Sie es in %d Sekunden erneut."},
		"es": {"Inténtelo de nuevo en %d segundo.", "Inténtelo de nuevo en %d segundos."},
		"it": {"Riprovate tra %d secondo.", "Riprovate tra %d secondi."}, "nl": {"Probeer het over %d seconde opnieuw.", "Probeer het over %d seconden opnieuw."}},
	"Too many wrong PINs. Try again in %d minutes, or ask the studio.": {
		"en": {"Too many wrong PINs. Try again in %d minute, or ask the studio.", "Too many wrong PINs. Try again in %d minutes, or ask the studio."},
		"fr": {"Trop de codes erronés. Réessayez dans %d minute ou demandez au studio.", "Trop de codes erronés. Réessayez dans %d minutes ou demandez au studio."},
		"de": {"Zu viele falsche PINs. Versuchen Sie es in %d Minute erneut oder fragen Sie das Studio.", "Zu viele falsche PINs. Versuchen Sie es in %d Minuten erneut oder fragen Sie das Studio."},
		"es": {"Demasiados PIN erróneos. Inténtelo en %d minuto o pregunte al estudio.", "Demasiados PIN erróneos. Inténtelo en %d minutos o pregunte al estudio."},
		"it": {"Troppi PIN errati. Riprovate tra %d minuto o chiedete allo studio.", "Troppi PIN errati. Riprovate tra %d minuti o chiedete allo studio."},
		"nl": {"Te veel foute pincodes. Probeer het over %d minuut opnieuw of vraag het de studio.", "Te veel foute pincodes. Probeer het over %d minuten opnieuw of vraag het de studio."}},
	"That PIN is not right. %d tries are left before a pause.": {
		"en": {"That PIN is not right. %d try is left before a pause.", "That PIN is not right. %d tries are left before a pause."},
		"fr": {"Ce code n’est pas le bon. Il reste %d essai avant une pause.", "Ce code n’est pas le bon. Il reste %d essais avant une pause."},
		"de": {"Diese PIN ist falsch. Noch %d Versuch vor einer Pause.", "Diese PIN ist falsch. Noch %d Versuche vor einer Pause."},
		"es": {"Ese PIN no es correcto. Queda %d intento antes de una pausa.", "Ese PIN no es correcto. Quedan %d intentos antes de una pausa."},
		"it": {"Quel PIN non è corretto. Resta %d tentativo prima di una pausa.", "Quel PIN non è corretto. Restano %d tentativi prima di una pausa."},
		"nl": {"Die pincode klopt niet. Nog %d poging voor een pauze.", "Die pincode klopt niet. Nog %d pogingen voor een pauze."}},
	// The update mail: studio (%[2]s), project (%[3]s), the number first.
	"%[2]s has shared %[1]d new renderings of %[3]s since we last wrote.": {
		"en": {"%[2]s has shared a new rendering of %[3]s since we last wrote.", "%[2]s has shared %[1]d new renderings of %[3]s since we last wrote."},
		"fr": {"%[2]s a partagé un nouveau rendu de %[3]s depuis notre dernier message.", "%[2]s a partagé %[1]d nouveaux rendus de %[3]s depuis notre dernier message."},
		"de": {"%[2]s hat seit unserer letzten Nachricht eine neue Visualisierung von %[3]s geteilt.", "%[2]s hat seit unserer letzten Nachricht %[1]d neue Visualisierungen von %[3]s geteilt."},
		"es": {"%[2]s ha compartido un render nuevo de %[3]s desde nuestro último mensaje.", "%[2]s ha compartido %[1]d renders nuevos de %[3]s desde nuestro último mensaje."},
		"it": {"%[2]s ha condiviso un nuovo render di %[3]s dal nostro ultimo messaggio.", "%[2]s ha condiviso %[1]d nuovi render di %[3]s dal nostro ultimo messaggio."},
		"nl": {"%[2]s heeft sinds ons laatste bericht een nieuwe render van %[3]s gedeeld.", "%[2]s heeft sinds ons laatste bericht %[1]d nieuwe renders van %[3]s gedeeld."}},
}

func table(rows [][6]string) map[string]map[string]string {
	m := make(map[string]map[string]string, len(rows))
	for _, r := range rows {
		e := make(map[string]string, len(Codes))
		for i, c := range Codes {
			e[c] = r[i]
		}
		if _, dup := m[r[0]]; dup {
			panic("locale: message " + r[0] + " twice")
		}
		m[r[0]] = e
	}
	return m
}

func pluralMsg(f [2]string) catalog.Message {
	return plural.Selectf(1, "%d", plural.One, f[0], plural.Other, f[1])
}
