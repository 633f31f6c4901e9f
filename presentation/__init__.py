"""How the product reads in French, written once: an answer, a question's title, an indicator's
value, class and status. The entry app, the text reports and the documents all draw from here, so
that « non renseigné » or « non calculable » read the same on a screen and on paper."""
